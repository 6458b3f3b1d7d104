/**
 * `.osbs-repo-config` as stop_autorebuild_if_disabled reads it, with SPEC §3.1's rules: a missing file, section
 * or key means enabled; `1/true/yes/on` enabled, `0/false/no/off` disabled (case-insensitive); any other value,
 * a duplicate key or a key outside a section is a parse error.
 */

export type AutorebuildSetting = { kind: 'missing-file' } | { kind: 'missing-key' } | { kind: 'value'; enabled: boolean } | { kind: 'error'; message: string; line: number }

export function readAutorebuild(text: string): AutorebuildSetting {
  let section: string | undefined
  const seen = new Set<string>()
  let result: AutorebuildSetting = { kind: 'missing-key' }
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const trimmed = line.trim()
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue
    const sec = /^\[([^\]]+)\]\s*$/.exec(trimmed)
    if (sec) {
      section = sec[1]!.trim()
      continue
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed)
    if (!kv) return { kind: 'error', message: `line ${i + 1}: not a key = value line: ${trimmed}`, line: i + 1 }
    if (section === undefined) return { kind: 'error', message: `line ${i + 1}: key outside a section: ${kv[1]}`, line: i + 1 }
    const key = kv[1]!.toLowerCase()
    const id = `${section}\0${key}`
    if (seen.has(id)) return { kind: 'error', message: `line ${i + 1}: duplicate key ${kv[1]} in [${section}]`, line: i + 1 }
    seen.add(id)
    if (section === 'autorebuild' && key === 'enabled') {
      const value = kv[2]!
        .replace(/\s[#;].*$/, '')
        .trim()
        .toLowerCase()
      if (['1', 'true', 'yes', 'on'].includes(value)) result = { kind: 'value', enabled: true }
      else if (['0', 'false', 'no', 'off'].includes(value)) result = { kind: 'value', enabled: false }
      else return { kind: 'error', message: `Not a boolean: ${kv[2]!.trim()}`, line: i + 1 }
    }
  }
  return result
}
