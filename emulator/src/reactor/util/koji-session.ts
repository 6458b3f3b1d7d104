/**
 * koji.ClientSession as atomic-reactor's koji_util makes it (create_koji_session, koji_login): anonymous XML-RPC
 * calls, or an SSL login with the koji_ssl_certs folder's `cert` (certificate and key) and `serverca` — over TLS to
 * the hub's `/ssllogin` on the same host and port (ssl_login turns the URL to https://), then calls with the
 * session's headers; uploads as koji's fastUpload sends them (`checkUpload`, then the file's chunks as rawUpload
 * POSTs, each checked against the Adler-32 the hub answers). The folder is read from the build's secret mounted
 * there (the host's `secretFiles`), as the pod would read its files.
 */
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { adler32 } from '../../koji/calls.js'
import { FAULT_TYPES } from '../../koji/errors.js'
import { decodeResponse, encodeCall, XmlRpcFault, type XmlRpcValue } from '../../koji/xmlrpc.js'
import type { Workflow } from '../workflow.js'
import { kojiCall } from './koji.js'
import { PyException } from './py.js'

interface Tls {
  cert: Buffer
  ca: Buffer
}

export class KojiSession {
  private session: { id: number; key: string } | undefined
  private tls: Tls | undefined
  private callnum = 0

  private constructor(
    private hub: string,
    private readonly signal: AbortSignal | undefined
  ) {}

  /**
   * create_koji_session(hub, auth_info): with a koji_ssl_certs folder, logged in ("Using SSL certificates for Koji
   * authentication"); atomic-reactor's Kerberos login (no folder, and `login` asked) cannot happen here.
   */
  static async create(wf: Workflow, hub: string, sslCertsDir: unknown, login: boolean): Promise<KojiSession> {
    const session = new KojiSession(hub, wf.host.signal)
    if (!login && !sslCertsDir) return session
    const log = wf.log.logger('atomic_reactor.koji_util')
    if (!sslCertsDir) {
      log.info('Using Kerberos for Koji authentication')
      throw new PyException('AuthError', 'unable to obtain a session (the local OpenShift has no Kerberos: give koji_ssl_certs)')
    }
    log.info('Using SSL certificates for Koji authentication')
    await session.sslLogin(wf, String(sslCertsDir).replace(/\/+$/, ''))
    return session
  }

  private async sslLogin(wf: Workflow, dir: string): Promise<void> {
    const files = wf.host.secretFiles?.(dir)
    const cert = files?.cert
    if (!cert) throw new PyException('AuthError', `Certificate ${dir}/cert doesn't exist or is not accessible`)
    if (!files.serverca) throw new PyException('AuthError', `Server CA ${dir}/serverca doesn't exist or is not accessible`)
    const url = new URL(this.hub)
    url.protocol = 'https:'
    this.hub = url.href
    this.tls = { cert, ca: files.serverca }
    let sinfo: XmlRpcValue
    try {
      sinfo = await this.post(`${this.hub}/ssllogin`, 'text/xml', Buffer.from(encodeCall('sslLogin', [{ proxyuser: null, __starstar: true }])))
    } catch (e) {
      throw new PyException('AuthError', `unable to obtain a session (ssl auth failed: ${e instanceof PyException ? `${e.pyType}: ${e.message}` : (e as Error).message})`)
    }
    const s = sinfo as Record<string, XmlRpcValue> | null
    if (!s || typeof s['session-id'] !== 'number') throw new PyException('AuthError', 'unable to obtain a session')
    this.session = { id: s['session-id'], key: String(s['session-key']) }
  }

  /** One call, logged in when the session is. */
  async call(method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
    if (!this.session) return kojiCall(this.hub, method, params, this.signal)
    return this.post(this.hub, 'text/xml', Buffer.from(encodeCall(method, params)))
  }

  /** uploadWrapper(path, serverdir, name, callback, blocksize): koji's fastUpload; the callback as KojiUploadLogger's. */
  async upload(serverdir: string, name: string, content: Buffer, blocksize: number, progress: (offset: number, total: number, chunk: number) => void): Promise<void> {
    if (!this.session) throw new PyException('ActionNotAllowed', 'You must be logged in to upload files')
    await this.call('checkUpload', [serverdir, name])
    progress(0, content.length, 0)
    let offset = 0
    do {
      const chunk = content.subarray(offset, offset + blocksize)
      const query = new URLSearchParams({ filename: name, filepath: serverdir, fileverify: 'adler32', offset: String(offset), overwrite: '1' })
      const result = (await this.post(`${this.hub}?${query.toString()}`, 'application/octet-stream', chunk)) as Record<string, XmlRpcValue>
      if (result.size !== chunk.length) throw new PyException('GenericError', `server returned wrong chunk size: ${String(result.size)} != ${chunk.length}`)
      if (result.hexdigest !== adler32(chunk)) throw new PyException('GenericError', `upload checksum failed: ${String(result.hexdigest)} != ${adler32(chunk)}`)
      offset += chunk.length
      progress(offset, content.length, chunk.length)
    } while (offset < content.length)
    const check = (await this.call('checkUpload', [serverdir, name])) as Record<string, XmlRpcValue> | null
    if (!check) throw new PyException('GenericError', `File upload failed: ${serverdir}/${name}`)
    if (Number(check.size) !== offset) throw new PyException('GenericError', `Uploaded file is wrong length: ${serverdir}/${name}, ${String(check.size)} != ${offset}`)
  }

  private post(url: string, contentType: string, body: Buffer): Promise<XmlRpcValue> {
    const headers: Record<string, string> = { 'Content-Type': contentType, 'Content-Length': String(body.length), 'User-Agent': 'koji/1' }
    if (this.session) {
      headers['Koji-Session-Id'] = String(this.session.id)
      headers['Koji-Session-Key'] = this.session.key
      headers['Koji-Session-Callnum'] = String(this.callnum++)
    }
    const target = new URL(url)
    const secure = target.protocol === 'https:'
    const options = { method: 'POST', headers, signal: this.signal, ...(secure && this.tls ? { cert: this.tls.cert, key: this.tls.cert, ca: this.tls.ca } : {}) }
    return new Promise<XmlRpcValue>((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(target, options, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 400) return reject(new PyException('HTTPError', `${res.statusCode} ${res.statusMessage} for url: ${url}`))
          try {
            resolve(decodeResponse(Buffer.concat(chunks).toString('utf8')))
          } catch (e) {
            reject(e instanceof XmlRpcFault ? new PyException(FAULT_TYPES[e.faultCode] ?? 'Fault', e.faultString) : e)
          }
        })
      })
      req.on('error', (e) =>
        reject(
          this.signal?.aborted
            ? e
            : new PyException(
                'ConnectionError',
                `${secure ? 'HTTPS' : 'HTTP'}ConnectionPool(host='${target.hostname}', port=${target.port}): Max retries exceeded with url: ${target.pathname} (Caused by ${(e as Error).message})`
              )
        )
      )
      req.end(body)
    })
  }
}
