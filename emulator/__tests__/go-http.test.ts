/**
 * HTTP as Go's net/http serves OpenShift (gohttp.ts, README "HTTP as Go's net/http serves it"): each place where
 * Node's server answers differently from Go's and a client can notice, on raw sockets so the exact bytes show.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { connect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { startCluster, type Cluster } from '../src/index.js'
import { buildConfigBody } from '../testing/client.js'

const B = '/oapi/v1/namespaces/osbs'
let c: Cluster

beforeAll(async () => {
  // the kubeconfig's TLS endpoint answers on the same port
  c = await startCluster({ port: 0 })
})
afterAll(async () => {
  await c.close()
})

/** One TCP connection to the cluster: what was received so far, waits on data and on the end. */
class Raw {
  readonly socket: Socket
  received = ''
  readonly ended: Promise<void>
  private waiters: Array<() => void> = []

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1')
    this.socket.setEncoding('latin1')
    this.socket.on('data', (d: string) => {
      this.received += d
      this.waiters.forEach((w) => w())
    })
    this.socket.on('error', () => undefined)
    this.ended = new Promise((resolve) => this.socket.on('close', () => resolve()))
  }

  send(text: string): void {
    this.socket.write(text, 'latin1')
  }

  /** Resolves once `re` matches what was received (fails the test when the connection ends first). */
  until(re: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(this.received)
        if (m) {
          this.waiters = this.waiters.filter((w) => w !== check)
          resolve(m)
        }
      }
      this.waiters.push(check)
      void this.ended.then(() => (re.exec(this.received) ? check() : reject(new Error(`connection ended; received:\n${this.received}`))))
      check()
    })
  }

  close(): void {
    this.socket.destroy()
  }
}

function port(): number {
  return Number(new URL(c.url).port)
}

function head(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${c.token}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)]
  return `${lines.join('\r\n')}\r\n\r\n`
}

/** Complete responses (head + Content-Length body) received so far. */
function responses(text: string): Array<{ status: number; headers: Record<string, string>; body: string }> {
  const out: Array<{ status: number; headers: Record<string, string>; body: string }> = []
  let rest = text
  for (;;) {
    const end = rest.indexOf('\r\n\r\n')
    if (end < 0) return out
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n')
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
    const len = Number(headers['content-length'] ?? 0)
    out.push({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + len) })
    rest = rest.slice(end + 4 + len)
  }
}

const bcJSON = (name: string) => JSON.stringify({ ...buildConfigBody(name), apiVersion: 'v1' })

describe('Expect', () => {
  it('an empty Expect header (osbs-client sends one on every write) is served, as Go does (Node answered 417)', async () => {
    const body = bcJSON('expect-empty')
    const r = new Raw(port())
    r.send(head('POST', `${B}/buildconfigs/`, { Expect: '', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }) + body)
    await r.until(/\r\n\r\n\{[\s\S]*\}$/)
    const [res] = responses(r.received)
    expect(res!.status).toBe(201)
    expect(JSON.parse(res!.body).metadata.name).toBe('expect-empty')
    r.close()
  })

  it('100-continue: the 100 comes when the server reads the body, then the answer; the connection stays open', async () => {
    const body = bcJSON('expect-continue')
    const r = new Raw(port())
    r.send(head('POST', `${B}/buildconfigs`, { Expect: '100-continue', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }))
    await r.until(/^HTTP\/1\.1 100 Continue\r\n\r\n/)
    r.send(body)
    await r.until(/HTTP\/1\.1 201 Created[\s\S]*\r\n\r\n\{[\s\S]*\}$/)
    // the same connection serves the next request
    r.send(head('GET', `${B}/buildconfigs/expect-continue`, {}))
    await r.until(/HTTP\/1\.1 200 OK[\s\S]*\r\n\r\n\{[\s\S]*\}$/)
    r.close()
  })

  it('100-continue refused before the body is read (401): no 100, the answer, Connection: close (Node sent 100 at once)', async () => {
    const body = bcJSON('expect-refused')
    const r = new Raw(port())
    r.send(
      [
        `POST ${B}/buildconfigs HTTP/1.1`,
        'Host: 127.0.0.1',
        'Authorization: Bearer wrong',
        'Expect: 100-continue',
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        ''
      ].join('\r\n')
    )
    await r.until(/\r\n\r\n\{[\s\S]*\}$/)
    expect(r.received).not.toContain('100 Continue')
    const [res] = responses(r.received)
    expect(res!.status).toBe(401)
    expect(res!.headers.connection).toBe('close')
    await r.ended
  })

  it("any other expectation gets Go's 417: Connection: close, Content-Length: 0, no body, not carried out", async () => {
    const body = bcJSON('expect-other')
    const r = new Raw(port())
    r.send(head('POST', `${B}/buildconfigs`, { Expect: 'something-else', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }) + body)
    await r.ended
    const [res, ...more] = responses(r.received)
    expect(res).toMatchObject({ status: 417, body: '' })
    expect(r.received).toMatch(/^HTTP\/1\.1 417 Expectation Failed\r\n/)
    expect(res!.headers).toMatchObject({ connection: 'close', 'content-length': '0' })
    expect(more).toEqual([])
    expect(c.store.get('buildconfigs', 'osbs', 'expect-other')).toBeUndefined()
  })
})

describe('HTTP/1.0', () => {
  it('an expectation other than 100-continue gets the 417 on HTTP/1.0 too (Node ignores Expect there)', async () => {
    const body = bcJSON('expect-http10')
    const r = new Raw(port())
    r.send(head('POST', `${B}/buildconfigs`, { Expect: 'something-else', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).replace('HTTP/1.1', 'HTTP/1.0') + body)
    await r.ended
    expect(responses(r.received)[0]).toMatchObject({ status: 417, body: '' })
    expect(c.store.get('buildconfigs', 'osbs', 'expect-http10')).toBeUndefined()
  })
})

describe('request headers', () => {
  it("headers up to kube-apiserver's 1 MiB are served (Node refused more than 16 KiB with 431)", async () => {
    const r = new Raw(port())
    r.send(head('GET', `${B}/builds`, { 'X-Large': 'a'.repeat(512 * 1024) }))
    await r.until(/\r\n\r\n\{[\s\S]*\}$/)
    expect(responses(r.received)[0]!.status).toBe(200)
    r.close()
  })

  it("past 1 MiB + 4096: Go's exact 431 answer, then the connection is closed", async () => {
    const r = new Raw(port())
    r.send(head('GET', `${B}/builds`, { 'X-Large': 'a'.repeat((1 << 20) + 8192) }))
    await r.ended
    expect(r.received).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large')
  })

  it("a request that cannot be parsed gets Go's plain 400 Bad Request", async () => {
    const r = new Raw(port())
    r.send('GET /api HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n')
    await r.ended
    expect(r.received).toBe('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request')
  })
})

describe('framing and connections', () => {
  it('a chunked request body is read like a Content-Length one', async () => {
    const body = bcJSON('chunked-body')
    const half = Math.floor(body.length / 2)
    const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`
    const r = new Raw(port())
    r.send(head('POST', `${B}/buildconfigs`, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }) + chunk(body.slice(0, half)) + chunk(body.slice(half)) + '0\r\n\r\n')
    await r.until(/\r\n\r\n\{[\s\S]*\}$/)
    expect(responses(r.received)[0]!.status).toBe(201)
    r.close()
  })

  it('bytes after a request that do not parse (a body sent without a length) do not spoil the answer in flight', async () => {
    // Node's client sends a DELETE body without Content-Length; Go answers the DELETE before reading on.
    const r = new Raw(port())
    r.send(head('GET', `${B}/builds`, {}) + '{}')
    await r.ended
    const [res, next] = responses(r.received)
    expect(res!.status).toBe(200)
    expect(JSON.parse(res!.body).kind).toBe('BuildList')
    expect(next!.status).toBe(400)
  })

  it('Connection: close is answered with Connection: close and the server closes the connection', async () => {
    const r = new Raw(port())
    r.send(head('GET', `${B}/builds`, { Connection: 'close' }))
    await r.ended
    const [res] = responses(r.received)
    expect(res!.status).toBe(200)
    expect(res!.headers.connection).toBe('close')
  })

  it('keep-alive: no Keep-Alive timeout is announced (Go has no idle timeout; Node announced 5 s and closed)', async () => {
    const r = new Raw(port())
    r.send(head('GET', `${B}/builds`, {}))
    await r.until(/\r\n\r\n\{[\s\S]*\}$/)
    expect(responses(r.received)[0]!.headers['keep-alive']).toBeUndefined()
    expect(r.socket.destroyed).toBe(false)
    r.close()
  })

  it("HEAD: the GET answer's status and headers without a body; the connection stays in step", async () => {
    const r = new Raw(port())
    r.send(head('HEAD', `${B}/builds`, {}))
    await r.until(/^HTTP\/1\.1 \d+ [^\r]*\r\n[\s\S]*?\r\n\r\n/)
    r.send(head('GET', '/version', {}))
    await r.until(/\r\n\r\n[\s\S]*\r\n\r\n\{[\s\S]*\}$/)
    const first = r.received.slice(0, r.received.indexOf('\r\n\r\n') + 4)
    expect(first).toMatch(/^HTTP\/1\.1 405 /)
    const second = r.received.slice(first.length)
    expect(second).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    r.close()
  })
})

describe('differences kept (README)', () => {
  it('a write whose body is not JSON (kubectl create configmap sends protobuf) is a 415 that says what is accepted', async () => {
    const r = new Raw(port())
    r.send(head('POST', '/api/v1/namespaces/osbs/configmaps', { 'Content-Type': 'application/vnd.kubernetes.protobuf', 'Content-Length': 4 }) + 'k8s\0')
    await r.until(/\r\n\r\n\{[\s\S]*\}$/)
    const [res] = responses(r.received)
    expect(res!.status).toBe(415)
    expect(JSON.parse(res!.body)).toMatchObject({ reason: 'UnsupportedMediaType', message: 'the body of the request was in an unknown format - accepted media types include: application/json' })
    r.close()
  })

  it('responses carry Connection: keep-alive (Go sends no Connection header on HTTP/1.1); clients ignore it', async () => {
    const r = new Raw(port())
    r.send(head('GET', '/version', {}))
    await r.until(/\r\n\r\n\{[\s\S]*\}$/)
    expect(responses(r.received)[0]!.headers.connection).toBe('keep-alive')
    r.close()
  })

  it('TLS offers HTTP/1.1 only (kube-apiserver also offers h2): a client asking for h2 gets http/1.1', async () => {
    const alpn = await new Promise<string | false>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port: port(), ALPNProtocols: ['h2', 'http/1.1'], rejectUnauthorized: false }, () => {
        resolve(s.alpnProtocol ?? false)
        s.destroy()
      })
      s.on('error', reject)
    })
    expect(alpn).toBe('http/1.1')
  })
})

describe('trailing slashes (go-restful ignores them: osbs-client asks for /buildconfigs/ and /builds/NAME/)', () => {
  it('a collection and an object answer the same with a trailing slash', async () => {
    const r = new Raw(port())
    r.send(head('GET', `${B}/buildconfigs/`, {}))
    await r.until(/\r\n\r\n\{[\s\S]*\}$/)
    const list = responses(r.received)[0]!
    expect(list.status).toBe(200)
    expect(JSON.parse(list.body).kind).toBe('BuildConfigList')
    r.received = ''
    r.send(head('GET', `${B}/buildconfigs/expect-empty/`, {}))
    await r.until(/\r\n\r\n\{[\s\S]*\}$/)
    expect(JSON.parse(responses(r.received)[0]!.body).metadata.name).toBe('expect-empty')
    r.close()
  })
})
