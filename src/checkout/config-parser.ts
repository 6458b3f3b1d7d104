/**
 * An INI file read exactly as Python 3's `configparser.ConfigParser()` (default arguments) reads it from a file:
 * the reader atomic-reactor's `stop_autorebuild_if_disabled` uses for `.osbs-repo-config`. Pure: text in, sections,
 * options and errors out, each with the 1-based line Python counts.
 *
 * Written here, not taken from npm, for a measured reason: `ini` strips quotes and inline comments and drops a
 * BOM; `configparser` 0.3.10 and `config-ini-parser` 1.6.1 (the npm packages that say they follow Python) read
 * no continuation lines, take `[^\]]+` as the header and split lines at U+2028; each of them disagrees with
 * Python on the corpus of `__tests__/repo-config-python.test.ts`, which pins this module to Debian's python3.
 *
 * What Python 3.11's `RawConfigParser._read` does, and so this module:
 * - lines end at `\n`, `\r\n` or a lone `\r` (a text file opened with universal newlines), nothing else;
 * - "strip" is Python's `str.strip()`: its whitespace includes U+001C–U+001F and U+0085, and not U+FEFF, so a
 *   byte order mark (kept by `open()` with the UTF-8 locale encoding) is a character of the first line;
 * - a line whose stripped text starts with `#` or `;` is a comment; inline comments are not stripped;
 * - a line indented deeper than the line of the current option continues its value (a blank line inside a
 *   value is kept as an empty line of it, a comment line is skipped); values are joined with `\n`, then
 *   right-stripped;
 * - `[` … the last `]` of a line is a section header (`.+` is greedy), whatever follows that `]`;
 *   `[DEFAULT]` holds the defaults and may appear more than once;
 * - otherwise the first `=` or `:` separates the option name (right-stripped, lower-cased) from the value
 *   (stripped); a line with neither, or with no name before it, is a parsing error (Python goes on and
 *   raises at the end); a line before any section header, a section or an option given twice in one
 *   section are errors that stop Python at once (strict mode). This module notes them and goes on, to report
 *   every problem at once; a file with any error is one Python refuses.
 */

/** Python's `str.isspace()` (and so `\s` in its regular expressions of str). */
const PY_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000
])

export function isPythonSpace(char: string): boolean {
  return PY_SPACE.has(char.charCodeAt(0))
}

/** Python's `str.strip()` with no argument (all the whitespace characters are single UTF-16 units). */
export function pythonStrip(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && PY_SPACE.has(text.charCodeAt(start))) start++
  while (end > start && PY_SPACE.has(text.charCodeAt(end - 1))) end--
  return text.slice(start, end)
}

function pythonRstrip(text: string): string {
  let end = text.length
  while (end > 0 && PY_SPACE.has(text.charCodeAt(end - 1))) end--
  return text.slice(0, end)
}

export interface ConfigOption {
  /** As ConfigParser keys it: right-stripped and lower-cased. */
  name: string
  /** The value as ConfigParser holds it (before interpolation): lines joined with `\n`, right-stripped. */
  value: string
  /** Line of the option's name. */
  line: number
  /** The lines read as continuations of the value (indented deeper than the option's line), stripped. */
  continuations: { line: number; text: string }[]
}

export interface ConfigSection {
  /** Exactly as written between `[` and the last `]`. */
  name: string
  line: number
  options: Map<string, ConfigOption>
}

export type ConfigErrorKind = 'MissingSectionHeaderError' | 'DuplicateSectionError' | 'DuplicateOptionError' | 'ParsingError'

export interface ConfigError {
  /** Python's exception class for it. */
  kind: ConfigErrorKind
  line: number
  /** The line's text (without its line end). */
  text: string
  /** The section, for duplicates and options. */
  section?: string
  /** The option's name, for a duplicate option. */
  option?: string
  /** Line of the first occurrence, for duplicates. */
  first?: number
}

export interface ConfigFile {
  /** `[DEFAULT]`: the fallback of every section. */
  defaults: Map<string, ConfigOption>
  sections: Map<string, ConfigSection>
  /** Every error, in line order; empty when Python reads the file. */
  errors: ConfigError[]
}

/** The lines of a text file as Python's universal newlines split them (the last one only when not empty). */
export function pythonLines(text: string): string[] {
  const lines: string[] = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 0x0a && c !== 0x0d) continue
    lines.push(text.slice(start, i))
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++
    start = i + 1
  }
  if (start < text.length) lines.push(text.slice(start))
  return lines
}

/** The section header in a stripped line, as `\[(?P<header>.+)\]` matches at its start; null when none. */
function sectionHeader(value: string): string | null {
  if (!value.startsWith('[')) return null
  const close = value.lastIndexOf(']')
  return close >= 2 ? value.slice(1, close) : null
}

/** Reads `text` as ConfigParser reads a file. */
export function readConfig(text: string): ConfigFile {
  const defaults = new Map<string, ConfigOption>()
  const sections = new Map<string, ConfigSection>()
  const errors: ConfigError[] = []
  /** Lines of section headers and of options, keyed as Python's `elements_added`. */
  const added = new Map<string, number>()
  let current: { name: string; options: Map<string, ConfigOption> } | null = null
  let option: { entry: ConfigOption; parts: string[] } | null = null
  const values: { entry: ConfigOption; parts: string[] }[] = []
  let indentLevel = 0

  pythonLines(text).forEach((raw, index) => {
    const line = index + 1
    const stripped = pythonStrip(raw)
    const comment = stripped.startsWith('#') || stripped.startsWith(';')
    const value = comment ? '' : stripped
    if (value === '') {
      // A blank line inside a value is a line of it; a comment line is not.
      if (!comment && current !== null && option !== null) option.parts.push('')
      return
    }
    let indent = 0
    while (PY_SPACE.has(raw.charCodeAt(indent))) indent++
    if (current !== null && option !== null && indent > indentLevel) {
      option.parts.push(value)
      option.entry.continuations.push({ line, text: value })
      return
    }
    indentLevel = indent
    const header = sectionHeader(value)
    if (header !== null) {
      option = null
      const first = added.get(`[${header}`)
      if (first !== undefined) {
        errors.push({ kind: 'DuplicateSectionError', line, text: raw, section: header, first })
        current = { name: header, options: sections.get(header)!.options }
      } else if (header === 'DEFAULT') {
        current = { name: header, options: defaults }
      } else {
        const section: ConfigSection = { name: header, line, options: new Map() }
        sections.set(header, section)
        added.set(`[${header}`, line)
        current = section
      }
      return
    }
    if (current === null) {
      errors.push({ kind: 'MissingSectionHeaderError', line, text: raw })
      return
    }
    const delimiter = firstDelimiter(value)
    if (delimiter < 0) {
      // Python keeps the option before it: a deeper line after this one still continues that option.
      errors.push({ kind: 'ParsingError', line, text: raw, section: current.name })
      return
    }
    const name = pythonRstrip(value.slice(0, delimiter)).toLowerCase()
    if (name === '') errors.push({ kind: 'ParsingError', line, text: raw, section: current.name })
    const key = `${current.name}\n${name}`
    const first = added.get(key)
    if (first !== undefined) {
      errors.push({ kind: 'DuplicateOptionError', line, text: raw, section: current.name, option: name, first })
      option = null
      return
    }
    added.set(key, line)
    const entry: ConfigOption = { name, value: '', line, continuations: [] }
    current.options.set(name, entry)
    // An option without a name ends the value before it and takes no continuation (Python: `if optname`).
    option = name === '' ? null : { entry, parts: [pythonStrip(value.slice(delimiter + 1))] }
    if (option) values.push(option)
  })
  for (const { entry, parts } of values) entry.value = pythonRstrip(parts.join('\n'))
  errors.sort((a, b) => a.line - b.line)
  return { defaults, sections, errors }
}

/** Index of the first `=` or `:`, or -1. */
function firstDelimiter(value: string): number {
  for (let i = 0; i < value.length; i++) if (value[i] === '=' || value[i] === ':') return i
  return -1
}
