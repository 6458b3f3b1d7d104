/**
 * XML-RPC as Koji speaks it (koji's ClientSession over `xmlrpc.client`): `methodCall` / `methodResponse`, the
 * value types struct, array, string, int/i4/i8, boolean, double, nil (Koji allows `<nil/>`), and faults.
 * Written here rather than taken from the npm `xmlrpc` package: that package's public API is an HTTP client and
 * server of its own, while the hub's port also serves files, rawUpload's raw chunks and the TLS login (hub.ts) —
 * only the message encoding would be used, and the package does not export it.
 */

export type XmlRpcValue = string | number | boolean | null | XmlRpcValue[] | { [key: string]: XmlRpcValue }

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const unescape = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (_m, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec))
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16))
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name]!
  })

export function encodeValue(v: XmlRpcValue): string {
  if (v === null) return '<value><nil/></value>'
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`
  if (typeof v === 'number') return Number.isInteger(v) ? `<value><int>${v}</int></value>` : `<value><double>${v}</double></value>`
  if (typeof v === 'string') return `<value><string>${escape(v)}</string></value>`
  if (Array.isArray(v)) return `<value><array><data>${v.map(encodeValue).join('')}</data></array></value>`
  return `<value><struct>${Object.entries(v)
    .map(([k, x]) => `<member><name>${escape(k)}</name>${encodeValue(x)}</member>`)
    .join('')}</struct></value>`
}

export function encodeCall(method: string, params: XmlRpcValue[]): string {
  return `<?xml version='1.0'?>\n<methodCall><methodName>${escape(method)}</methodName><params>${params.map((p) => `<param>${encodeValue(p)}</param>`).join('')}</params></methodCall>\n`
}

export function encodeResponse(value: XmlRpcValue): string {
  return `<?xml version='1.0'?>\n<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>\n`
}

export function encodeFault(code: number, message: string): string {
  return `<?xml version='1.0'?>\n<methodResponse><fault>${encodeValue({ faultCode: code, faultString: message })}</fault></methodResponse>\n`
}

/** A tiny tokenizer-driven parser for the subset above. */
class Reader {
  private pos = 0
  constructor(private readonly text: string) {}

  private skip(): void {
    for (;;) {
      const m = /^(\s+|<\?[^>]*\?>|<!--[\s\S]*?-->)/.exec(this.text.slice(this.pos))
      if (!m) return
      this.pos += m[0].length
    }
  }

  peekTag(): string | undefined {
    this.skip()
    const m = /^<(\/?[a-zA-Z0-9.]+)\s*(\/?)>/.exec(this.text.slice(this.pos))
    return m ? m[1] + (m[2] ? '/' : '') : undefined
  }

  open(tag: string): void {
    this.skip()
    const m = /^<([a-zA-Z0-9.]+)\s*>/.exec(this.text.slice(this.pos))
    if (!m || m[1] !== tag) throw new Error(`XML-RPC: expected <${tag}> at ${this.pos}`)
    this.pos += m[0].length
  }

  close(tag: string): void {
    this.skip()
    const m = /^<\/([a-zA-Z0-9.]+)\s*>/.exec(this.text.slice(this.pos))
    if (!m || m[1] !== tag) throw new Error(`XML-RPC: expected </${tag}> at ${this.pos}`)
    this.pos += m[0].length
  }

  /** Text up to the next tag (not skipping whitespace: strings keep theirs). */
  text_(): string {
    const end = this.text.indexOf('<', this.pos)
    const t = this.text.slice(this.pos, end < 0 ? undefined : end)
    this.pos += t.length
    return unescape(t)
  }

  consume(raw: string): void {
    this.skip()
    if (!this.text.startsWith(raw, this.pos)) throw new Error(`XML-RPC: expected ${raw} at ${this.pos}`)
    this.pos += raw.length
  }

  value(): XmlRpcValue {
    this.open('value')
    const before = this.pos
    const tag = this.peekTag()
    let v: XmlRpcValue
    if (tag === undefined || tag === '/value') {
      this.pos = before
      v = this.text_()
    } else if (tag === 'nil/') {
      this.consume('<nil/>')
      v = null
    } else if (tag === 'array') {
      this.open('array')
      this.open('data')
      const out: XmlRpcValue[] = []
      while (this.peekTag() === 'value') out.push(this.value())
      this.close('data')
      this.close('array')
      v = out
    } else if (tag === 'struct') {
      this.open('struct')
      const out: Record<string, XmlRpcValue> = {}
      while (this.peekTag() === 'member') {
        this.open('member')
        this.open('name')
        const name = this.text_()
        this.close('name')
        out[name] = this.value()
        this.close('member')
      }
      this.close('struct')
      v = out
    } else if (tag === 'string/') {
      this.consume('<string/>')
      v = ''
    } else {
      this.open(tag)
      const t = this.text_()
      this.close(tag)
      if (tag === 'int' || tag === 'i4' || tag === 'i8') v = Number.parseInt(t, 10)
      else if (tag === 'double') v = Number(t)
      else if (tag === 'boolean') v = t.trim() === '1'
      else v = t
    }
    this.close('value')
    return v
  }

  params(): XmlRpcValue[] {
    const out: XmlRpcValue[] = []
    if (this.peekTag() === 'params/') {
      this.consume('<params/>')
      return out
    }
    if (this.peekTag() !== 'params') return out
    this.open('params')
    while (this.peekTag() === 'param') {
      this.open('param')
      out.push(this.value())
      this.close('param')
    }
    this.close('params')
    return out
  }
}

export function decodeCall(xml: string): { method: string; params: XmlRpcValue[] } {
  const r = new Reader(xml)
  r.open('methodCall')
  r.open('methodName')
  const method = r.text_().trim()
  r.close('methodName')
  const params = r.params()
  return { method, params }
}

export class XmlRpcFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string
  ) {
    super(`<Fault ${faultCode}: ${faultString}>`)
  }
}

/** The value of a methodResponse; a fault is thrown as XmlRpcFault. */
export function decodeResponse(xml: string): XmlRpcValue {
  const r = new Reader(xml)
  r.open('methodResponse')
  if (r.peekTag() === 'fault') {
    r.open('fault')
    const f = r.value() as Record<string, XmlRpcValue>
    throw new XmlRpcFault(Number(f.faultCode), String(f.faultString))
  }
  const params = r.params()
  return params[0] ?? null
}
