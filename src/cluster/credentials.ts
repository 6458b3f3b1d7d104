/**
 * The credentials and the connection of a kubeconfig's current context, applied as `KubeConfig` of
 * `@kubernetes/client-node` applies them (its `applyHTTPSOptions` / `applyAuthorizationHeader`): CA, client
 * certificate and key (file or base64 data), `insecure-skip-tls-verify`, `tls-server-name`, basic auth,
 * impersonation, a bearer token, and client-node's own authenticators (exec plugin, token file) for a
 * user that needs one, loaded only then.
 *
 * The undici dispatcher (connection pool, TLS, proxy) is made once per client and owned here: one pool for the
 * whole run, closed by `close()`. undici is the one `@actions/core` already loads (its HTTP client), so a request
 * costs no second HTTP stack.
 */
import { readFileSync } from 'node:fs'
import type { ConnectionOptions } from 'node:tls'
import { Agent, ProxyAgent, type Dispatcher } from 'undici'
import { ForwardProxyDispatcher } from './forward-proxy.js'
import type { KubeCluster, KubeUser } from './kubeconfig.js'

/** client-node's Authenticator interface (`dist/auth.d.ts`). */
interface Authenticator {
  isAuthProvider(user: KubeUser): boolean
  applyAuthentication(user: KubeUser, opts: { headers?: Record<string, string> }): Promise<void>
}

/** File wins over data; data is base64 (client-node's bufferFromFileOrString). */
function fileOrData(file?: string, data?: string): Buffer | undefined {
  if (file) return readFileSync(file)
  if (data) return Buffer.from(data, 'base64')
  return undefined
}

/** TLS options of the connection to the API server. */
export function tlsOptions(cluster: KubeCluster, user: KubeUser | null): ConnectionOptions {
  const tls: ConnectionOptions = {}
  if (!user) return tls
  if (cluster.skipTLSVerify) tls.rejectUnauthorized = false
  if (cluster.tlsServerName) tls.servername = cluster.tlsServerName
  const ca = fileOrData(cluster.caFile, cluster.caData)
  if (ca) tls.ca = ca
  const cert = fileOrData(user.certFile, user.certData)
  if (cert) tls.cert = cert
  const key = fileOrData(user.keyFile, user.keyData)
  if (key) tls.key = key
  return tls
}

/**
 * The authenticators of client-node for a kubeconfig user: exec plugins and token files. Its `azure`, `gcp` and
 * `oidc` auth-providers are not among them: kubectl itself dropped them for exec plugins (kubelogin,
 * gke-gcloud-auth-plugin), and they would bring JSONPath, OpenID and the whole generated client into the bundle.
 */
async function loadAuthenticators(user: KubeUser): Promise<Authenticator[]> {
  const provider = user.authProvider?.name
  const config = user.authProvider?.config
  if (user.authProvider && !config?.tokenFile && !config?.exec && provider !== 'exec')
    throw new Error(`kubeconfig user ${user.name}: the ${provider} auth-provider is not supported; use an exec credential plugin (kubelogin, gke-gcloud-auth-plugin), openshift-token or oidc-audience`)
  const [{ ExecAuth }, { FileAuth }] = await Promise.all([import('@kubernetes/client-node/dist/exec_auth.js'), import('@kubernetes/client-node/dist/file_auth.js')])
  return [new ExecAuth(), new FileAuth()] as Authenticator[]
}

export class Credentials {
  private authenticator?: Promise<Authenticator | undefined>
  private dispatcher?: Dispatcher
  private closed = false

  constructor(
    private readonly cluster: KubeCluster,
    private readonly user: KubeUser | null
  ) {}

  /** Headers that authenticate one request (an exec or token-file credential is refreshed as it expires). */
  async headers(): Promise<Record<string, string>> {
    const user = this.user
    const headers: Record<string, string> = {}
    if (!user) return headers
    if (user.username) headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`
    if (user.impersonateUser != null) headers['Impersonate-User'] = user.impersonateUser
    if (user.exec || user.authProvider) {
      this.authenticator ??= loadAuthenticators(user).then((list) => list.find((a) => a.isAuthProvider(user)))
      const authenticator = await this.authenticator
      if (authenticator) await authenticator.applyAuthentication(user, { headers })
    }
    if (user.token) headers.Authorization = `Bearer ${user.token}`
    return headers
  }

  /** The connection pool of the run (made at the first request). */
  async pool(): Promise<Dispatcher> {
    if (this.dispatcher) return this.dispatcher
    if (this.closed) throw new Error('the connection to the cluster is closed')
    const { server, proxyUrl, skipTLSVerify } = this.cluster
    if (!proxyUrl && server.startsWith('http:') && !skipTLSVerify) throw new Error('HTTP protocol is not allowed when skipTLSVerify is not set or false')
    const tls = tlsOptions(this.cluster, this.user)
    // 30 s keep-alive probes, as client-go (a cloud load balancer may drop an idle connection at 60 s).
    const keepAlive = { keepAlive: true, keepAliveInitialDelay: 30000 }
    if (proxyUrl && !/^https?:/i.test(proxyUrl))
      throw new Error(`proxy ${new URL(proxyUrl).protocol}//${new URL(proxyUrl).host}: only http:// and https:// proxies are supported (HTTPS_PROXY, HTTP_PROXY or the kubeconfig's proxy-url)`)
    if (proxyUrl && server.startsWith('http:')) this.dispatcher = new ForwardProxyDispatcher(proxyUrl, keepAlive)
    else if (proxyUrl) this.dispatcher = new ProxyAgent({ uri: proxyUrl, requestTls: tls, connect: keepAlive })
    else this.dispatcher = new Agent({ connect: { ...tls, ...keepAlive } })
    return this.dispatcher
  }

  /**
   * Close the connections: gracefully when that settles within `graceMs`, else they are destroyed. undici 6's
   * `Agent.close()` waits for every request still running (a followed log never ends by itself) and, after a TLS
   * failure while other requests were pending, never settles at all; nothing awaits a close that may not end.
   * Later requests get no new pool (see `pool`).
   */
  async close(graceMs = 1000): Promise<void> {
    const d = this.dispatcher
    this.dispatcher = undefined
    this.closed = true
    if (!d) return
    const within = (promise: Promise<unknown>): Promise<boolean> => {
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))
      return Promise.race([
        promise.then(
          () => true,
          () => true
        ),
        late
      ]).finally(() => clearTimeout(timer))
    }
    if (!(await within(d.close()))) await within(d.destroy())
  }
}
