/**
 * `.osbs-repo-config` (SPEC §3.1), read as atomic-reactor 1.6.26.3 reads it: `stop_autorebuild_if_disabled`
 * opens it with Python 3's `ConfigParser` and asks `getboolean('autorebuild', 'enabled')`, and takes any file or
 * value it cannot read (a `configparser.Error` or a `ValueError`) as *disabled*. So whatever ConfigParser would
 * refuse, or read otherwise than the action reads it, is an error here at its file and line, before anything
 * is written. The file's structure is read by `config-parser.ts` (Python's own rules); this module applies the
 * lookup and the rules of §3.1.
 */
import type { Problem } from '../shared/errors.js'
import { readConfig, type ConfigError, type ConfigOption } from './config-parser.js'

export interface RepoConfig {
  /** Whether autorebuild is enabled (missing file, section or key: enabled, as the OSBS design says). */
  autorebuild: boolean
  /** Why: where the value came from, for notices and the summary. */
  source: string
  /** 1-based line of the `enabled` key, when present. */
  line?: number
}

/**
 * `ConfigParser.BOOLEAN_STATES`, compared after `str.lower()`. The reactor's docstring names 0, 1, false and
 * true; its `getboolean` also reads yes/on and no/off, with the same meaning, so the action accepts all eight
 * and never reads one of them otherwise than the reactor does.
 */
const TRUE_VALUES = ['1', 'true', 'yes', 'on']
const FALSE_VALUES = ['0', 'false', 'no', 'off']
export const BOOLEAN_STATES: ReadonlyMap<string, boolean> = new Map([...TRUE_VALUES.map((v) => [v, true] as const), ...FALSE_VALUES.map((v) => [v, false] as const)])

/** Structure problems reported one by one; past these, one more says how many are left. */
const MAX_STRUCTURE_PROBLEMS = 10

const REFUSED = 'atomic-reactor reads a file that Python\'s ConfigParser refuses as "autorebuild disabled"'

/** A line for a message: quoted, at most 80 characters. */
function shown(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)
}

function structureMessage(error: ConfigError): string {
  const text = error.text
  switch (error.kind) {
    case 'MissingSectionHeaderError':
      if (error.line === 1 && text.startsWith('\uFEFF')) {
        return `the file starts with a byte order mark (U+FEFF), which Python's ConfigParser reads as a character of the first line, so no section header comes first; save the file as UTF-8 without a byte order mark`
      }
      if (text.trimStart().startsWith('[')) return `${shown(text.trim())} is not a valid section header; write [autorebuild]`
      return `${keyOf(text) ?? shown(text.trim())} is outside a section; put it under [autorebuild]`
    case 'DuplicateSectionError':
      return `section [${error.section}] appears twice (first on line ${error.first}); ConfigParser refuses a repeated section`
    case 'DuplicateOptionError':
      return `key '${error.option}' appears twice in [${error.section}] (first on line ${error.first}); ConfigParser refuses a repeated key`
    case 'ParsingError':
      if (/^\s*[=:]/.test(text)) return `${shown(text.trim())} has no key before '${text.trim()[0]}'`
      if (text.trimStart().startsWith('[')) return `${shown(text.trim())} is not a valid section header; write [autorebuild]`
      return `${shown(text.trim())} is not a "key = value" line`
  }
}

/** Whether a continuation line looks like the `[autorebuild]` header or an `enabled` key that ConfigParser will not see. */
function looksLikeSetting(text: string): boolean {
  const lower = text.toLowerCase()
  if (lower.startsWith('[') && lower.includes('autorebuild')) return true
  if (!lower.startsWith('enabled')) return false
  const rest = lower.slice('enabled'.length).trimStart()
  return rest.startsWith('=') || rest.startsWith(':')
}

/** `key 'name'` of a `name = value` line, or undefined. */
function keyOf(text: string): string | undefined {
  const delimiter = text.search(/[=:]/)
  const name = delimiter > 0 ? text.slice(0, delimiter).trim().toLowerCase() : ''
  return name === '' ? undefined : `key '${name}'`
}

/** Why a value ConfigParser holds is not one of BOOLEAN_STATES, in words that say what to write instead. */
function valueHint(value: string): string {
  if (value.includes('\n')) return '; the next line is indented, so ConfigParser reads it as a continuation of the value: unindent it'
  if (/^["']/.test(value)) return '; ConfigParser keeps quotes as part of the value: remove them'
  if (/\s[;#]/.test(value)) return '; ConfigParser does not strip a comment after a value: put the comment on a line of its own'
  return ''
}

/**
 * Parses the repo config. `text` is null when the file does not exist; a byte order mark must still be in it.
 * `file` is the path shown in messages and annotations. Returns the config, or every problem found.
 */
export function parseRepoConfig(text: string | null, file: string): { config: RepoConfig; problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = []
  const warnings: Problem[] = []
  const problem = (line: number, message: string): void => {
    problems.push({ file, line, message: `${file}:${line}: ${message}` })
  }
  if (text === null) {
    return { config: { autorebuild: true, source: `${file} does not exist (default: enabled)` }, problems, warnings }
  }
  const parsed = readConfig(text)
  // Python stops at the first line outside a section; the lines after it that are outside one too say nothing new.
  const firstOutside = parsed.errors.find((e) => e.kind === 'MissingSectionHeaderError')
  const errors = parsed.errors.filter((e) => e.kind !== 'MissingSectionHeaderError' || e === firstOutside)
  for (const error of errors.slice(0, MAX_STRUCTURE_PROBLEMS)) problem(error.line, `${structureMessage(error)}. ${REFUSED}`)
  if (errors.length > MAX_STRUCTURE_PROBLEMS) {
    const next = errors[MAX_STRUCTURE_PROBLEMS].line
    problem(next, `and ${errors.length - MAX_STRUCTURE_PROBLEMS} more lines from here on that ConfigParser refuses`)
  }
  for (const section of parsed.sections.values()) {
    if (section.name !== 'autorebuild' && section.name.toLowerCase().includes('autorebuild')) {
      problem(
        section.line,
        `section [${section.name}] is not [autorebuild]: ConfigParser takes a section name exactly as written (case and spaces count), so atomic-reactor would not read it; write [autorebuild]`
      )
    }
  }
  for (const options of [parsed.defaults, ...[...parsed.sections.values()].map((s) => s.options)]) {
    for (const option of options.values()) {
      for (const continued of option.continuations) {
        if (!looksLikeSetting(continued.text)) continue
        problem(
          continued.line,
          `${shown(continued.text)} is indented deeper than '${option.name}' (line ${option.line}), so ConfigParser reads it as a continuation of that value, not as a line of its own; unindent it`
        )
      }
    }
  }
  const section = parsed.sections.get('autorebuild')
  let entry: ConfigOption | undefined = section?.options.get('enabled')
  if (section) {
    for (const other of section.options.values()) {
      if (other.name !== 'enabled') {
        warnings.push({ file, line: other.line, message: `${file}:${other.line}: key '${other.name}' in [autorebuild] is not used (only 'enabled' is)` })
      }
    }
    entry ??= parsed.defaults.get('enabled')
  } else {
    const fallback = parsed.defaults.get('enabled')
    if (fallback) {
      problem(fallback.line, `'enabled' under [DEFAULT] is not read without an [autorebuild] section (ConfigParser finds no section); put it under [autorebuild]`)
    }
  }
  if (!entry) {
    const where = section ? `[autorebuild] has no 'enabled' key` : `${file} has no [autorebuild] section`
    return { config: { autorebuild: true, source: `${where} (default: enabled)` }, problems, warnings }
  }
  const value = entry.value
  const state = BOOLEAN_STATES.get(value.toLowerCase())
  if (value.includes('%')) {
    // BasicInterpolation: `%%` and `%(name)s` are rewritten, any other `%` is an error; none of it is needed here.
    problem(entry.line, `[autorebuild] enabled = ${shown(value)}: ConfigParser interpolates '%' in a value; write the value itself, one of ${TRUE_VALUES.join(', ')} or ${FALSE_VALUES.join(', ')}`)
  } else if (state === undefined) {
    problem(
      entry.line,
      `[autorebuild] enabled = ${shown(value)} is not a boolean${valueHint(value)}. ` +
        `Accepted (any case): ${TRUE_VALUES.join(', ')} (enabled) or ${FALSE_VALUES.join(', ')} (disabled), alone on the line; ${REFUSED}`
    )
  }
  return {
    config: { autorebuild: state ?? true, source: `${file}:${entry.line}: enabled = ${value}`, line: entry.line },
    problems,
    warnings
  }
}
