/**
 * The Python 2 textual shapes atomic-reactor's output has: `repr()` of values and exceptions, `json.dumps()` with
 * default separators, `datetime.isoformat()` and logging's `asctime`.
 */

/** Python 2 `repr()` of a str (`unicode` adds the `u` prefix). */
export function pyStrRepr(s: string, unicode = false): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = ''
  for (const ch of s) {
    const code = ch.codePointAt(0)!
    if (ch === '\\') out += '\\\\'
    else if (ch === quote) out += '\\' + quote
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0')
    else if (code > 0x7e && unicode) out += code > 0xffff ? '\\U' + code.toString(16).padStart(8, '0') : '\\u' + code.toString(16).padStart(4, '0')
    else out += ch
  }
  return (unicode ? 'u' : '') + quote + out + quote
}

/** Python 2 `repr()` of a JSON-decoded value (strings are unicode, as `json.loads` gives them). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value)
  if (typeof value === 'string') return pyStrRepr(value, true)
  if (Array.isArray(value)) return '[' + value.map(pyRepr).join(', ') + ']'
  if (typeof value === 'object') {
    return (
      '{' +
      Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${pyStrRepr(k, true)}: ${pyRepr(v)}`)
        .join(', ') +
      '}'
    )
  }
  return pyStrRepr(String(value))
}

/** Python 2 `str()` of a JSON-decoded value, as `'%s' % value` prints it: a string as it is, anything else its repr. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value)
}

/** Python 2 `repr()` of a list of (byte) strings, as `str(list)` prints it. */
export function pyListRepr(items: string[]): string {
  return '[' + items.map((s) => pyStrRepr(s)).join(', ') + ']'
}

/** Python's `json.dumps(value)` with default settings: `", "` / `": "` separators, non-ASCII as `\uXXXX`. */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? String(value) : String(value)) : 'NaN'
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
  if (Array.isArray(value)) return '[' + value.map(pyJsonDumps).join(', ') + ']'
  return (
    '{' +
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${pyJsonDumps(k)}: ${pyJsonDumps(v)}`)
      .join(', ') +
    '}'
  )
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** logging's default `asctime`: `YYYY-MM-DD HH:MM:SS,mmm`, local time. */
export function asctime(d: Date = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
}

/** `datetime.now().isoformat()`: naive local time, `.ffffff` omitted when the microseconds are 0. */
export function pyIsoNow(at: number = performance.timeOrigin + performance.now()): string {
  const d = new Date(Math.floor(at))
  const micros = Math.floor((at * 1000) % 1e6)
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  return micros ? `${base}.${pad(micros, 6)}` : base
}

/** `datetime.utcnow().isoformat()` (build-date label). */
export function pyUtcIso(d: Date = new Date()): string {
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  const micros = d.getUTCMilliseconds() * 1000
  return micros ? `${base}.${pad(micros, 6)}` : base
}

/**
 * A Python exception as atomic-reactor reports it: `repr()` is `Type('message',)` (Python 2), `str()` the message.
 */
export class PyException extends Error {
  constructor(
    readonly pyType: string,
    message: string
  ) {
    super(message)
  }
  repr(): string {
    return `${this.pyType}(${pyStrRepr(this.message)},)`
  }
}

/** Python's truth test of a JSON value: None, False, 0, '', [] and {} are false. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false
  if (Array.isArray(value)) return value.length > 0
  if (typeof value === 'object') return Object.keys(value).length > 0
  return true
}
