/**
 * `/openapi/v2`: OpenShift 3.11's own OpenAPI document, as its master serves it (recorded from a real OpenShift
 * Origin v3.11.0 master: `openapi-3.11/README.md`). kubectl validates what it sends against it (`kubectl create -f`
 * of a BuildConfig without `spec.nodeSelector` or `status` fails there, as it does against 3.11).
 *
 * Served as kube-openapi 1.11's handler serves it: the first media type of `Accept` (default `*\/*`) among JSON and
 * gnostic's protobuf (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`), else 406; the body through
 * Go's `http.ServeContent` (a content type sniffed from the bytes: `text/plain; charset=utf-8` for the JSON,
 * `application/octet-stream` for the protobuf; `ETag` the upper-case hex SHA-512 of the body, `If-None-Match`
 * answered 304) behind `gziphandler` (gzip when the client accepts it).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { gunzipSync } from 'node:zlib'

/** A recorded body: its gzip form as stored, and what the server sends for it. */
interface Served {
  gzip: Buffer
  plain: Buffer
  etag: string
  contentType: string
}

const FORMATS = [
  { type: 'application', subtype: 'json', file: 'openapi-v2.json.gz', contentType: 'text/plain; charset=utf-8' },
  { type: 'application', subtype: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', file: 'openapi-v2.pb.gz', contentType: 'application/octet-stream' }
] as const

/** The recorded files, read once (each a few hundred KiB gzipped). */
const cache = new Map<string, Served>()

function load(format: (typeof FORMATS)[number]): Served {
  let served = cache.get(format.file)
  if (!served) {
    const gzip = readFileSync(new URL(`./openapi-3.11/${format.file}`, import.meta.url))
    const plain = gunzipSync(gzip)
    served = { gzip, plain, etag: `"${createHash('sha512').update(plain).digest('hex').toUpperCase()}"`, contentType: format.contentType }
    cache.set(format.file, served)
  }
  return served
}

/** The recorded document, parsed (for tests and tools). */
export function openAPIv2Document(): { swagger: string; info: { title: string; version: string }; paths: Record<string, unknown>; definitions: Record<string, any> } {
  return JSON.parse(load(FORMATS[0]).plain.toString('utf8'))
}

/** `Accept` as goautoneg orders it: by q (stable), each `type/subtype`. */
function acceptClauses(accept: string): Array<{ type: string; subtype: string }> {
  return accept
    .split(',')
    .map((part, i) => {
      const [range = '', ...params] = part.split(';').map((s) => s.trim())
      const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1)
      const [type = '', subtype = ''] = range.split('/')
      return { type, subtype, q: Number.isFinite(q) ? q : 0, i }
    })
    .filter((c) => c.type && c.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
}

export function serveOpenAPIv2(req: IncomingMessage, res: ServerResponse): void {
  const accept = req.headers.accept || '*/*'
  for (const clause of acceptClauses(accept)) {
    const format = FORMATS.find((f) => (clause.type === f.type || clause.type === '*') && (clause.subtype === f.subtype || clause.subtype === '*'))
    if (!format) continue
    const served = load(format)
    const headers: Record<string, string | number> = { Vary: 'Accept-Encoding, Accept', 'Accept-Ranges': 'bytes', Etag: served.etag }
    if (req.headers['if-none-match'] === served.etag) {
      res.writeHead(304, headers)
      res.end()
      return
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
    const body = gzip ? served.gzip : served.plain
    res.writeHead(200, { ...headers, 'Content-Type': served.contentType, 'Content-Length': body.length, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) })
    res.end(req.method === 'HEAD' ? undefined : body)
    return
  }
  res.writeHead(406, { Vary: 'Accept' })
  res.end()
}
