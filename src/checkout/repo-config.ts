/**
 * `.osbs-repo-config` (SPEC §3.1). INI, but stricter than the `ini` package: only `[autorebuild]` / `enabled`
 * matters, and an invalid value, a duplicate key or a key outside a section is an error naming the file and line.
 * Values are decoded with `ini` (quotes and inline comments), the structure is checked line by line here.
 */
import ini from 'ini'
import type { Problem } from '../shared/errors.js'

export interface RepoConfig {
  /** Whether autorebuild is enabled (missing file, section or key: enabled, as the OSBS design says). */
  autorebuild: boolean
  /** Why: where the value came from, for notices and the summary. */
  source: string
  /** 1-based line of the `enabled` key, when present. */
  line?: number
}

const TRUE_VALUES = ['1', 'true', 'yes', 'on']
const FALSE_VALUES = ['0', 'false', 'no', 'off']

interface Entry {
  key: string
  value: string
  line: number
}

/**
 * Parses the repo config. `text` is null when the file does not exist. `file` is the path shown in messages
 * and annotations. Returns the config, or every problem found.
 */
export function parseRepoConfig(text: string | null, file: string): { config: RepoConfig; problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = []
  const warnings: Problem[] = []
  if (text === null) {
    return { config: { autorebuild: true, source: `${file} does not exist (default: enabled)` }, problems, warnings }
  }
  const sections = new Map<string, { line: number; entries: Map<string, Entry> }>()
  let current: { name: string; entries: Map<string, Entry> } | null = null
  let last: Entry | null = null
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  lines.forEach((raw, index) => {
    const line = index + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      if (trimmed === '') last = null
      return
    }
    if (/^\s/.test(raw) && last !== null) {
      // A continuation line of the previous value (as ConfigParser reads it).
      last.value += `\n${trimmed}`
      return
    }
    last = null
    if (trimmed.startsWith('[')) {
      const header = /^\[([^\]]+)\]\s*(?:[;#].*)?$/.exec(trimmed)
      if (!header || header[1].trim() === '') {
        problems.push({ file, line, message: `${file}:${line}: ${JSON.stringify(trimmed)} is not a valid section header; write [autorebuild]` })
        // Keys below a broken header belong to no known section; they are not reported again.
        current = { name: '', entries: new Map<string, Entry>() }
        return
      }
      const name = header[1].trim()
      const existing = sections.get(name)
      if (existing) {
        problems.push({ file, line, message: `${file}:${line}: section [${name}] appears twice (first on line ${existing.line})` })
        current = { name, entries: existing.entries }
        return
      }
      const section = { line, entries: new Map<string, Entry>() }
      sections.set(name, section)
      current = { name, entries: section.entries }
      if (name !== 'autorebuild' && name.toLowerCase() === 'autorebuild') {
        warnings.push({ file, line, message: `${file}:${line}: section names are case-sensitive: [${name}] is ignored; write [autorebuild]` })
      }
      return
    }
    const sep = /[=:]/.exec(trimmed)
    if (!sep) {
      problems.push({ file, line, message: `${file}:${line}: ${JSON.stringify(trimmed)} is not a "key = value" line` })
      return
    }
    const key = trimmed.slice(0, sep.index).trim().toLowerCase()
    const rawValue = trimmed.slice(sep.index + 1).trim()
    if (key === '') {
      problems.push({ file, line, message: `${file}:${line}: ${JSON.stringify(trimmed)} has no key before '${sep[0]}'` })
      return
    }
    if (current === null) {
      problems.push({ file, line, message: `${file}:${line}: key '${key}' is outside a section; put it under [autorebuild]` })
      return
    }
    const section: { name: string; entries: Map<string, Entry> } = current
    const previous = section.entries.get(key)
    if (previous) {
      problems.push({
        file,
        line,
        message: `${file}:${line}: key '${key}' appears twice in [${section.name}] (first on line ${previous.line})`
      })
      return
    }
    const entry: Entry = { key, value: rawValue, line }
    section.entries.set(key, entry)
    last = entry
  })

  const section = sections.get('autorebuild')
  const entry = section?.entries.get('enabled')
  if (section) {
    for (const other of section.entries.values()) {
      if (other.key !== 'enabled') {
        warnings.push({ file, line: other.line, message: `${file}:${other.line}: key '${other.key}' in [autorebuild] is not used (only 'enabled' is)` })
      }
    }
  }
  if (!entry) {
    const where = section ? `[autorebuild] has no 'enabled' key` : `${file} has no [autorebuild] section`
    return { config: { autorebuild: true, source: `${where} (default: enabled)` }, problems, warnings }
  }
  const value = decodeValue(entry.value)
  const lower = value.toLowerCase()
  let enabled = true
  if (TRUE_VALUES.includes(lower)) enabled = true
  else if (FALSE_VALUES.includes(lower)) enabled = false
  else {
    problems.push({
      file,
      line: entry.line,
      message:
        `${file}:${entry.line}: [autorebuild] enabled = ${JSON.stringify(value)} is not a boolean. ` +
        `Accepted (any case): ${TRUE_VALUES.join(', ')} (enabled) or ${FALSE_VALUES.join(', ')} (disabled)`
    })
  }
  return {
    config: { autorebuild: enabled, source: `${file}:${entry.line}: enabled = ${value}`, line: entry.line },
    problems,
    warnings
  }
}

/** Decodes an INI value as `ini` does (surrounding quotes, inline `;`/`#` comments, escapes). */
function decodeValue(raw: string): string {
  if (raw.includes('\n')) return raw
  return String(ini.unsafe(raw)).trim()
}
