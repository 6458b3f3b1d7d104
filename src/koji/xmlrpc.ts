/**
 * XML-RPC messages as a Koji hub reads and writes them (Python's xmlrpc.client with koji's xmlrpcplus): a
 * `methodCall` out; a `methodResponse` or a fault in, with struct, array, string, int/i4/i8, boolean, double, nil
 * (Koji's None), dateTime.iso8601 and base64 (kept as their text). Pure.
 *
 * Why not a library: the npm `xmlrpc` package exports only its own HTTP client and server (its serializer and
 * stream deserializer are not public API), so the Koji request could not go through the cluster's undici transport
 * with the runner's proxy; `@foxglove/xmlrpc` 1.3.0 exports `serializeMethodCall` and `Deserializer`, but bundles
 * to 508 KB minified (xmlbuilder2, @oozcitak/dom, node-fetch, js-yaml 4; measured with esbuild on an entry that
 * imports only those two) for the ~100 lines below.
 */

export type XmlRpcValue = string | number | boolean | null | XmlRpcValue[] | { [key: string]: XmlRpcValue }

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function unescape(s: string): string {
  return s.replace(/&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g, (_m, name?: string, dec?: string, hex?: string) =>
    name ? ENTITIES[name]! : String.fromCodePoint(dec ? Number(dec) : Number.parseInt(hex!, 16))
  )
}

function encodeValue(v: XmlRpcValue): string {
  if (v === null) return '<value><nil/></value>'
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`
  if (typeof v === 'number') return Number.isInteger(v) ? `<value><int>${v}</int></value>` : `<value><double>${v}</double></value>`
  if (typeof v === 'string') return `<value><string>${escape(v)}</string></value>`
  if (Array.isArray(v)) return `<value><array><data>${v.map(encodeValue).join('')}</data></array></value>`
  const members = Object.entries(v).map(([k, x]) => `<member><name>${escape(k)}</name>${encodeValue(x)}</member>`)
  return `<value><struct>${members.join('')}</struct></value>`
}

/**
 * A call; `keywords` are Python keyword arguments as koji's ClientSession sends them (koji.encode_args: a last
 * struct with `__starstar`).
 */
export function encodeCall(method: string, params: XmlRpcValue[], keywords?: Record<string, XmlRpcValue>): string {
  const all = keywords ? [...params, { ...keywords, __starstar: true }] : params
  return `<?xml version='1.0'?>\n<methodCall><methodName>${escape(method)}</methodName><params>${all.map((p) => `<param>${encodeValue(p)}</param>`).join('')}</params></methodCall>\n`
}

/** A fault the hub answered (a koji exception: its code names the class, koji.convertFault). */
export class XmlRpcFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string
  ) {
    super(`Fault ${faultCode}: ${faultString}`)
  }
}

type Token = { tag: string; close: boolean; empty: boolean } | { text: string }

/** The tags and texts of a message (no attributes in XML-RPC), prolog, comments and blank text between tags left out. */
function tokens(xml: string): Token[] {
  const out: Token[] = []
  const pattern = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z0-9.]+)\s*(\/?)>|([^<]+)|(<)/g
  for (const m of xml.matchAll(pattern)) {
    if (m[5]) throw new Error(`not XML-RPC: an unexpected "<" at ${m.index}`)
    if (m[2]) out.push({ tag: m[2], close: m[1] === '/', empty: m[3] === '/' })
    else if (m[4] !== undefined) out.push({ text: m[4] })
  }
  return out
}

/** Reads the tokens of one message. */
class Reader {
  private at = 0
  constructor(private readonly list: Token[]) {}

  private next(): Token | undefined {
    return this.list[this.at++]
  }

  /** The next tag, skipping blank text. */
  private tag(): { tag: string; close: boolean; empty: boolean } {
    for (;;) {
      const t = this.next()
      if (!t) throw new Error('not XML-RPC: the message ends early')
      if ('tag' in t) return t
      if (t.text.trim()) throw new Error(`not XML-RPC: text ${JSON.stringify(t.text.trim().slice(0, 40))} where a tag was expected`)
    }
  }

  open(name: string): void {
    const t = this.tag()
    if (t.tag !== name || t.close || t.empty) throw new Error(`not XML-RPC: <${t.close ? '/' : ''}${t.tag}> where <${name}> was expected`)
  }

  close(name: string): void {
    const t = this.tag()
    if (t.tag !== name || !t.close) throw new Error(`not XML-RPC: <${t.close ? '/' : ''}${t.tag}> where </${name}> was expected`)
  }

  /** The text up to the closing tag `name` (empty when there is none). */
  text(name: string): string {
    const t = this.list[this.at]
    const text = t && 'text' in t ? (this.at++, unescape(t.text)) : ''
    this.close(name)
    return text
  }

  /** Whether the next tag (blank text skipped) opens `name`; does not consume it. */
  peek(name: string): boolean {
    let i = this.at
    while (this.list[i] && 'text' in this.list[i]! && !(this.list[i] as { text: string }).text.trim()) i++
    const t = this.list[i]
    return Boolean(t && 'tag' in t && t.tag === name && !t.close)
  }

  value(): XmlRpcValue {
    this.open('value')
    // <value>text</value> (and <value></value>) is a string; else a type's tag follows, maybe after blank text
    const [first, second] = [this.list[this.at], this.list[this.at + 1]]
    const opens = (t: Token | undefined) => Boolean(t && 'tag' in t && !t.close)
    if (!opens(first) && !(first && 'text' in first && !first.text.trim() && opens(second))) return this.text('value')
    const t = this.tag()
    let v: XmlRpcValue
    if (t.empty) v = t.tag === 'nil' ? null : t.tag === 'string' ? '' : fail(`<${t.tag}/>`)
    else if (t.tag === 'array') v = this.array()
    else if (t.tag === 'struct') v = this.struct()
    else v = scalar(t.tag, this.text(t.tag))
    this.close('value')
    return v
  }

  private array(): XmlRpcValue[] {
    this.open('data')
    const items: XmlRpcValue[] = []
    while (this.peek('value')) items.push(this.value())
    this.close('data')
    this.close('array')
    return items
  }

  private struct(): Record<string, XmlRpcValue> {
    const members: Record<string, XmlRpcValue> = {}
    while (this.peek('member')) {
      this.open('member')
      this.open('name')
      const name = this.text('name')
      members[name] = this.value()
      this.close('member')
    }
    this.close('struct')
    return members
  }
}

function fail(what: string): never {
  throw new Error(`not XML-RPC: ${what}`)
}

function scalar(type: string, text: string): XmlRpcValue {
  switch (type) {
    case 'int':
    case 'i4':
    case 'i8':
      return /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : fail(`<${type}>${text}</${type}>`)
    case 'double':
      return Number(text)
    case 'boolean':
      return text.trim() === '1'
    case 'string':
    case 'dateTime.iso8601':
    case 'base64':
      return text
    case 'nil':
      return null
    default:
      return fail(`the type <${type}>`)
  }
}

/** The value of a methodResponse; a fault is thrown as XmlRpcFault, anything else not XML-RPC as an Error. */
export function decodeResponse(xml: string): XmlRpcValue {
  const r = new Reader(tokens(xml))
  r.open('methodResponse')
  if (r.peek('fault')) {
    r.open('fault')
    const fault = r.value() as Record<string, XmlRpcValue>
    throw new XmlRpcFault(Number(fault?.faultCode), String(fault?.faultString))
  }
  r.open('params')
  r.open('param')
  const value = r.value()
  r.close('param')
  r.close('params')
  r.close('methodResponse')
  return value
}
