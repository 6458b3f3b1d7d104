/**
 * Credentials to mask, found before anything could print them: in a kubeconfig's text (whether or not it parses),
 * in a URL's user info, and in a value that spans lines (the runner masks line by line). `redact` takes them out
 * of a message that was built from text a library produced. Pure: no I/O.
 */

import { isSpace, userInfoSpans } from './linear-text.js'

/** Kubeconfig keys whose value is a credential (users[].user and auth-provider config). */
export const CREDENTIAL_KEYS = ['token', 'password', 'client-key-data', 'access-token', 'id-token', 'refresh-token', 'client-secret'] as const

const KEY_PATTERN = new RegExp(String.raw`(?:^|[\s{,\[])(["']?)(${CREDENTIAL_KEYS.join('|')})\1\s*:(?=\s|$|["'])\s*(.*)$`)

/** What to hand to the runner's masking for one credential: the value and each of its lines (trimmed, non-empty). */
export function maskValues(value: string): string[] {
  const out = new Set<string>()
  const trimmed = value.trim()
  if (trimmed !== '') out.add(trimmed)
  for (const line of trimmed.split(/\r?\n|\r/)) {
    const part = line.trim()
    if (part !== '') out.add(part)
  }
  return [...out]
}

/** The end of a quoted scalar that starts at `text[0]` (the quote), or -1 when it does not close on this line. */
function closingQuote(text: string): number {
  const quote = text[0]
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++
      continue
    }
    if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++
        continue
      }
      return i
    }
  }
  return -1
}

/**
 * Every value of a credential key in a kubeconfig's text, read line by line so that a file that does not parse
 * as YAML (or JSON) still gives its credentials: plain, quoted (also across lines) and block (`|`, `>`) scalars.
 */
export function credentialsInText(text: string): string[] {
  const found: string[] = []
  const lines = text.split(/\r?\n|\r/)
  for (let i = 0; i < lines.length; i++) {
    const match = KEY_PATTERN.exec(lines[i])
    if (!match) continue
    const rest = match[3].trim()
    if (rest.startsWith('"') || rest.startsWith("'")) {
      const end = closingQuote(rest)
      if (end >= 0) {
        found.push(rest.slice(1, end))
        continue
      }
      // A quoted scalar that goes on: every line up to the closing quote is a part of the credential.
      const parts = [rest.slice(1)]
      for (i++; i < lines.length; i++) {
        const close = lines[i].indexOf(rest[0])
        parts.push(close >= 0 ? lines[i].slice(0, close) : lines[i])
        if (close >= 0) break
      }
      found.push(parts.join('\n'))
      continue
    }
    if (/^[|>][-+0-9]*\s*(#.*)?$/.test(rest)) {
      // A block scalar: the lines indented deeper than the key's line.
      const indent = /^\s*/.exec(lines[i])![0].length
      const parts: string[] = []
      while (i + 1 < lines.length && (lines[i + 1].trim() === '' || /^\s*/.exec(lines[i + 1])![0].length > indent)) parts.push(lines[++i])
      found.push(parts.join('\n'))
      continue
    }
    // A plain scalar ends at a flow indicator or a comment.
    const plain = plainScalar(rest)
    if (plain !== '') found.push(plain)
  }
  return found
}

/** A plain YAML scalar of a line: up to a comment (` #`) and then up to a flow indicator (`,`, `}`, `]`), trimmed. */
function plainScalar(rest: string): string {
  let end = rest.length
  for (let i = 1; i < rest.length; i++) {
    if (rest[i] !== '#' || !isSpace(rest[i - 1])) continue
    end = i - 1
    while (end > 0 && isSpace(rest[end - 1])) end--
    break
  }
  let cut = rest.slice(0, end)
  for (let i = 0; i < cut.length; i++) {
    if (cut[i] === ',' || cut[i] === '}' || cut[i] === ']') {
      cut = cut.slice(0, i)
      break
    }
  }
  return cut.trim()
}

/** The user info of every `scheme://user:password@host` in `value`, and its password alone (also decoded). */
export function urlCredentials(value: string): string[] {
  const found: string[] = []
  for (const span of userInfoSpans(value)) {
    const userInfo = value.slice(span.start, span.end)
    const colon = userInfo.indexOf(':')
    if (colon < 0) continue
    const password = userInfo.slice(colon + 1)
    if (password === '') continue
    found.push(userInfo, password)
    try {
      const decoded = decodeURIComponent(password)
      if (decoded !== password) found.push(decoded)
    } catch {
      /* not percent-encoded */
    }
  }
  return found
}

/** The values to mask for a list of credentials: each, and each of its lines, without repeats or empty ones. */
export function maskList(values: Iterable<string | undefined>): string[] {
  const out = new Set<string>()
  for (const value of values) if (value) for (const part of maskValues(value)) out.add(part)
  return [...out]
}

/** `text` with every credential (and each line of a multi-line one) replaced by `***`, longest first. */
export function redact(text: string, secrets: Iterable<string>): string {
  const parts = maskList(secrets).sort((a, b) => b.length - a.length)
  let out = text
  for (const part of parts) out = out.split(part).join('***')
  return out
}

/** `text` with the user info of every URL in it replaced by `***` (for messages about values that carried credentials). */
export function withoutUserInfo(text: string): string {
  let out = ''
  let last = 0
  for (const span of userInfoSpans(text)) {
    out += `${text.slice(last, span.start)}***`
    last = span.end
  }
  return out + text.slice(last)
}
