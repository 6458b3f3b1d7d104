/**
 * The local OpenShift's Koji hub, on one port of 127.0.0.1 that speaks both plain HTTP and TLS (koji's
 * ClientSession.ssl_login turns the hub's URL to https:// on the same host and port):
 * - `POST /kojihub`: XML-RPC, the calls of calls.ts with Koji 1.35's arguments and answers, faults as kojixmlrpc
 *   sends them (the code names the koji exception class);
 * - `POST /kojihub/ssllogin` over TLS with a client certificate this hub issued (`sslCerts`, the `cert`, `ca` and
 *   `serverca` files of atomic-reactor's koji_ssl_certs folder): a session (`session-id`, `session-key`,
 *   `header-auth`), whose headers (`Koji-Session-Id`, `Koji-Session-Key`) then make calls logged in;
 * - `POST /kojihub?filename=..&filepath=..&offset=..` (rawUpload, koji's fastUpload): a chunk into the work folder,
 *   answered with its size and Adler-32;
 * - `GET /kojifiles/...` (the hub's topurl, atomic-reactor's `root`): the build tags' yum repositories
 *   (`repos/TAG/REPO_ID/ARCH/repodata/`, valid and empty, yum-repo.ts) and the imported builds' files
 *   (`packages/N/V/R/images/FILE`, `packages/N/V/R/data/logs/ARCH/FILE`).
 * Koji's session call numbers are not checked (no call is retried here).
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { adler32, kojiMethod } from './calls.js'
import { KojiData, nvrOf, type KojiBuild, type KojiRpm } from './data.js'
import { authError, genericError, KojiError } from './errors.js'
import { decodeCall, encodeFault, encodeResponse, type XmlRpcValue } from './xmlrpc.js'
import { emptyRepodata } from './yum-repo.js'
import { selfSignedCertificate } from '../util/self-signed.js'

export { BUILD_STATES, TASK_STATES, incrementRelease, type KojiBuild, type KojiOutput, type KojiRpm } from './data.js'
export { FAULT_TYPES, KojiError } from './errors.js'

/** The user of the client certificate the hub issues (a content generator's service account). */
export const KOJI_CERT_USER = 'osbs'

/** The files of atomic-reactor's koji_ssl_certs folder: `cert` (certificate and key), `ca` (its issuer), `serverca` (the hub's). */
export interface KojiSslCerts {
  cert: string
  ca: string
  serverca: string
}

interface Session {
  key: string
  user: string
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })

export class KojiHub {
  readonly data = new KojiData()
  /** the XML-RPC endpoint, `http://127.0.0.1:PORT/kojihub` (also `https://` on the same port) */
  url = ''
  /** the hub's topurl (atomic-reactor's koji `root`): `http://127.0.0.1:PORT/kojifiles` */
  topurl = ''
  readonly sslCerts: KojiSslCerts
  private readonly serverCert = selfSignedCertificate('127.0.0.1')
  private readonly sessions = new Map<number, Session>()
  private readonly sockets = new Set<Socket>()
  private repodata = new Map<string, Buffer>()
  private front: NetServer | undefined
  private plain: Server | undefined
  private secure: Server | undefined

  constructor() {
    const client = selfSignedCertificate(KOJI_CERT_USER, { dns: [KOJI_CERT_USER] })
    this.clientCert = client.cert
    this.sslCerts = { cert: client.cert + client.key, ca: client.cert, serverca: this.serverCert.cert }
  }

  private readonly clientCert: string

  async start(host = '127.0.0.1'): Promise<string> {
    this.repodata = await emptyRepodata()
    const handler = (secure: boolean) => (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res, secure)
    this.plain = createServer(handler(false))
    this.secure = createHttpsServer({ key: this.serverCert.key, cert: this.serverCert.cert, ca: [this.clientCert], requestCert: true, rejectUnauthorized: false }, handler(true))
    for (const s of [this.plain, this.secure]) s.keepAliveTimeout = 2000
    // one port for both: the first byte of a TLS connection is a handshake record (0x16)
    const front = createNetServer((socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
      socket.on('error', () => socket.destroy())
      socket.once('data', (chunk) => {
        socket.pause()
        socket.unshift(chunk)
        ;(chunk[0] === 0x16 ? this.secure! : this.plain!).emit('connection', socket)
        process.nextTick(() => socket.resume())
      })
    })
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject)
      front.listen(0, host, () => resolve())
    })
    this.front = front
    const base = `http://${host}:${(front.address() as AddressInfo).port}`
    this.url = `${base}/kojihub`
    this.topurl = `${base}/kojifiles`
    return this.url
  }

  async close(): Promise<void> {
    const front = this.front
    this.front = undefined
    if (!front) return
    const closed = new Promise<void>((resolve) => front.close(() => resolve()))
    for (const s of this.sockets) s.destroy()
    this.plain?.closeAllConnections()
    this.secure?.closeAllConnections()
    await closed
  }

  /** A build target with its build and destination tags (`koji add-target`), each tag with a ready, empty repo. */
  addTarget(name: string, buildTag?: string, destTag?: string): void {
    this.data.addTarget(name, buildTag, destTag)
  }

  /** Lock a tag (`koji lock-tag`): tagging into it fails the tagBuild task. */
  lockTag(tag: string): void {
    const t = this.data.tag(tag)
    if (!t) throw new Error(`no such tag: ${tag}`)
    t.locked = true
  }

  /** Add a build without an import (a test's parent image build, or the local OpenShift's record, koji-record.ts). */
  recordBuild(b: { name: string; version: string; release: string; state?: number }): KojiBuild {
    return this.data.addBuild(b)
  }

  /**
   * `koji import` of a binary RPM (a package a base image holds, as a site builds its base images' packages in
   * Koji): CGImport then matches the image's `rpm` components against it.
   */
  importRpm(header: Omit<KojiRpm, 'id' | 'buildId'>): KojiRpm {
    return this.data.importRpm(header)
  }

  /** Every build, oldest first. */
  builds(): readonly KojiBuild[] {
    return this.data.builds
  }

  /** The same as builds() (the name older tests use). */
  list(): readonly KojiBuild[] {
    return this.data.builds
  }

  /** The N-V-Rs tagged into a tag, newest tagging first. */
  tagged(tag: string): string[] {
    const t = this.data.tag(tag)
    return t ? this.data.taggedBuilds(t.id).map(nvrOf) : []
  }

  /** One XML-RPC call, as a caller logged in as `user` (or anonymous). */
  call(method: string, params: XmlRpcValue[], user?: string): XmlRpcValue {
    return kojiMethod(this.data, { user }, method, params)
  }

  private async handle(req: IncomingMessage, res: ServerResponse, secure: boolean): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub')
    const body = await readBody(req).catch(() => Buffer.alloc(0))
    if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname.startsWith('/kojifiles/')) return this.serveFile(url.pathname.slice('/kojifiles/'.length), req.method, res)
    if (req.method !== 'POST' || !url.pathname.startsWith('/kojihub')) {
      res.writeHead(req.method === 'POST' ? 404 : 405, { 'Content-Type': 'text/plain', Allow: 'POST' })
      res.end('the Koji hub answers XML-RPC at POST /kojihub; its files are under GET /kojifiles/\n')
      return
    }
    let answer: string
    try {
      const user = this.sessionUser(req, url)
      let value: XmlRpcValue
      if (url.pathname === '/kojihub/ssllogin') value = this.sslLogin(req, secure, decodeCall(body.toString('utf8')).params)
      else if (url.searchParams.has('filename')) value = this.rawUpload(url, body, user)
      else {
        const { method, params } = decodeCall(body.toString('utf8'))
        value = this.call(method, params, user)
      }
      answer = encodeResponse(value)
    } catch (e) {
      const err = e instanceof KojiError ? e : genericError((e as Error).message)
      answer = encodeFault(err.faultCode, err.message)
    }
    res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(answer), 'Koji-Version': '1.35.3' })
    res.end(answer)
  }

  /** The user of the call's session (headers, or the query of an older client); undefined without one. */
  private sessionUser(req: IncomingMessage, url: URL): string | undefined {
    const id = req.headers['koji-session-id'] ?? url.searchParams.get('session-id') ?? undefined
    if (id === undefined) return undefined
    const key = req.headers['koji-session-key'] ?? url.searchParams.get('session-key')
    const session = this.sessions.get(Number(id))
    if (!session || session.key !== key) throw authError('Invalid session or session key: log in again')
    return session.user
  }

  private sslLogin(req: IncomingMessage, secure: boolean, params: XmlRpcValue[]): XmlRpcValue {
    const socket = req.socket as TLSSocket
    if (!secure || !socket.authorized) {
      throw authError(`could not verify client: an SSL login needs the client certificate this hub issued (${secure ? String(socket.authorizationError ?? 'none sent') : 'not over TLS'})`)
    }
    const kwargs = params[params.length - 1]
    if (kwargs && typeof kwargs === 'object' && !Array.isArray(kwargs) && typeof kwargs.proxyuser === 'string') {
      throw authError(`${KOJI_CERT_USER} is not authorized to login other users`)
    }
    const user = String(socket.getPeerCertificate().subject?.CN ?? KOJI_CERT_USER)
    const id = this.sessions.size + 1
    const key = `${id}-${randomBytes(12).toString('base64url')}`
    this.sessions.set(id, { key, user })
    return { 'session-id': id, 'session-key': key, 'header-auth': true }
  }

  /** koji's rawUpload (kojixmlrpc handle_upload): the body at `offset` of `filepath/filename`; its size and Adler-32. */
  private rawUpload(url: URL, body: Buffer, user: string | undefined): XmlRpcValue {
    if (!user) throw new KojiError(1004, 'ActionNotAllowed', 'you must be logged in for this operation')
    const key = `${url.searchParams.get('filepath') ?? ''}/${url.searchParams.get('filename') ?? ''}`
    const offset = Number(url.searchParams.get('offset') ?? '0')
    const have = this.data.uploads.get(key) ?? Buffer.alloc(0)
    if (offset > have.length) throw genericError(`Upload of ${key}: offset ${offset} is past its end (${have.length})`)
    this.data.uploads.set(key, Buffer.concat([have.subarray(0, offset), body, have.subarray(offset + body.length)]))
    return { size: body.length, hexdigest: adler32(body) }
  }

  private serveFile(path: string, method: string, res: ServerResponse): void {
    const content = this.fileAt(decodeURIComponent(path))
    if (!content) {
      res.writeHead(404, { 'Content-Type': 'text/plain' })
      res.end(`not found: /kojifiles/${path}\n`)
      return
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': content.length })
    res.end(method === 'HEAD' ? undefined : content)
  }

  private fileAt(path: string): Buffer | undefined {
    const repo = /^repos\/([^/]+)\/(\d+)\/([^/]+)\/repodata\/([^/]+)$/.exec(path)
    if (repo) {
      const tag = this.data.tag(repo[1])
      const known = tag && this.data.repos.some((r) => r.tagId === tag.id && r.id === Number(repo[2]))
      return known && tag.arches.split(/\s+/).includes(repo[3]!) ? this.repodata.get(repo[4]!) : undefined
    }
    const pkg = /^packages\/([^/]+)\/([^/]+)\/([^/]+)\/(images|data\/logs\/[^/]+)\/([^/]+)$/.exec(path)
    if (!pkg) return undefined
    const build = this.data.build({ name: pkg[1], version: pkg[2], release: pkg[3] })
    const logs = pkg[4] !== 'images'
    return build?.outputs.find((o) => o.filename === pkg[5] && (o.type === 'log') === logs && (!logs || pkg[4] === `data/logs/${o.arch}`))?.content
  }
}
