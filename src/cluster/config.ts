/**
 * The kubeconfig of the connection settings, with the server, CA and insecure-skip-tls-verify of the settings and the
 * proxy of the environment applied. Nothing here sends a request.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { trimEndChar } from '../shared/linear-text.js'
import { loadKubeconfig } from './kubeconfig-text.js'
import { shownUrl } from './server-url.js'
import type { ConnectionSettings } from '../settings.js'
import { bypassesProxy } from './no-proxy.js'
import { defaultKubeconfigFiles, Kubeconfig, SERVICE_ACCOUNT_DIR, type KubeCluster, type KubeContext, type KubeUser } from './kubeconfig.js'

/** The certificate authority as client-node wants it: base64 of the PEM (accepts a PEM or an already base64 PEM). */
export function caDataFromPem(ca: string): string {
  const text = ca.replace(/\r\n/g, '\n').trim()
  if (text.includes('-----BEGIN')) return Buffer.from(text + '\n').toString('base64')
  const decoded = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (decoded.includes('-----BEGIN')) return text.replace(/\s+/g, '')
  throw new Error('certificate-authority: expected a PEM certificate ("-----BEGIN CERTIFICATE-----" …) or its base64')
}

/** The proxy for a server URL from HTTPS_PROXY / HTTP_PROXY and NO_PROXY (no-proxy.ts; client-node ignores them by itself). */
export function proxyFor(server: string, env: Record<string, string | undefined>): string | undefined {
  const url = new URL(server)
  const pick = (...names: string[]): string | undefined =>
    names
      .map((n) => env[n])
      .find((v) => v !== undefined && v.trim() !== '')
      ?.trim()
  const proxy = url.protocol === 'https:' ? pick('HTTPS_PROXY', 'https_proxy') : pick('HTTP_PROXY', 'http_proxy')
  if (!proxy) return undefined
  const noProxy = pick('NO_PROXY', 'no_proxy')
  if (noProxy && bypassesProxy(url, noProxy)) return undefined
  return proxy
}

export interface LoadedConfig {
  kubeConfig: Kubeconfig
  server: string
  namespace?: string
  /** How the credentials were found, for a debug line (never the credentials). */
  source: string
}

/** A kubeconfig of one cluster, one user and one context. */
function singleKubeconfig(cluster: KubeCluster, user: KubeUser, context: Partial<KubeContext> = {}): Kubeconfig {
  return new Kubeconfig({
    clusters: [cluster],
    users: [user],
    contexts: [{ name: 'context', cluster: cluster.name, user: user.name, ...context }],
    currentContext: context.name ?? 'context'
  })
}

/** The service account of a runner inside the cluster (what client-node's loadFromCluster does, from `env`). */
function inClusterKubeconfig(env: Record<string, string | undefined>, serviceAccountDir: string): Kubeconfig {
  const serviceHost = env.KUBERNETES_SERVICE_HOST!
  const host = serviceHost.includes(':') ? `[${serviceHost}]` : serviceHost
  const port = env.KUBERNETES_SERVICE_PORT ?? '443'
  const namespaceFile = path.join(serviceAccountDir, 'namespace')
  return singleKubeconfig(
    { name: 'in-cluster', server: `${['80', '8080', '8001'].includes(port) ? 'http' : 'https'}://${host}:${port}`, caFile: path.join(serviceAccountDir, 'ca.crt'), skipTLSVerify: false },
    { name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile: path.join(serviceAccountDir, 'token') } } },
    { name: 'in-cluster', namespace: existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined }
  )
}

/** Where the credentials come from, in the order of loadConfig's rule, and the kubeconfig they make. */
function credentialsSource(conn: ConnectionSettings, env: Record<string, string | undefined>, serviceAccountDir: string): { kc: Kubeconfig; source: string } {
  if (conn.token) {
    if (!conn.server) throw new Error('openshift-server is required with openshift-token')
    return { kc: singleKubeconfig({ name: 'cluster', server: conn.server, skipTLSVerify: false }, { name: 'user', token: conn.token }), source: 'token' }
  }
  if (conn.oidcAudience && conn.server) {
    // The bearer token comes from ClusterOptions.tokenProvider (a GitHub OIDC ID token for this audience).
    return { kc: singleKubeconfig({ name: 'cluster', server: conn.server, skipTLSVerify: false }, { name: 'oidc' }), source: `GitHub OIDC token for audience ${conn.oidcAudience}` }
  }
  if (conn.kubeconfig?.inline) return { kc: loadKubeconfig(conn.kubeconfig.inline, 'kubeconfig (inline)'), source: 'kubeconfig (inline)' }
  if (conn.kubeconfig?.path) {
    if (conn.kubeconfig.text === undefined && !existsSync(conn.kubeconfig.path)) throw new Error(`kubeconfig: file not found: ${conn.kubeconfig.path}`)
    const source = `kubeconfig ${conn.kubeconfig.path}`
    return { kc: loadKubeconfig(conn.kubeconfig.text ?? readFileSync(conn.kubeconfig.path, 'utf8'), source), source }
  }
  if (env.KUBERNETES_SERVICE_HOST && existsSync(path.join(serviceAccountDir, 'token'))) return { kc: inClusterKubeconfig(env, serviceAccountDir), source: 'in-cluster service account' }
  const file = defaultKubeconfigFiles(env, env.HOME || homedir()).find((f) => existsSync(f))
  if (!file) throw new Error('No credentials for OpenShift: give openshift-token (with openshift-server) or a kubeconfig, or run inside the cluster')
  return { kc: loadKubeconfig(readFileSync(file, 'utf8'), `kubeconfig ${file}`), source: `kubeconfig ${file}` }
}

/**
 * The kubeconfig of the connection settings: a token (with the server), else a kubeconfig (path or inline YAML,
 * as `oc login` writes it), else the in-cluster service account, else `$KUBECONFIG` / `~/.kube/config`.
 * The server, CA and insecure-skip-tls-verify of the settings override the kubeconfig's; proxies come from the
 * environment.
 */
export function loadConfig(conn: ConnectionSettings, env: Record<string, string | undefined> = process.env, serviceAccountDir = SERVICE_ACCOUNT_DIR): LoadedConfig {
  const { kc, source } = credentialsSource(conn, env, serviceAccountDir)
  const context: KubeContext | null = kc.getContextObject(kc.getCurrentContext())
  const current = kc.getCurrentCluster()
  if (!current) throw new Error(`${source}: the current context names no cluster`)
  const server = trimEndChar(conn.server ?? current.server, '/')
  try {
    new URL(server)
  } catch {
    throw new Error(`openshift-server: not a URL: ${shownUrl(server)}`)
  }
  const cluster: KubeCluster = {
    ...current,
    server,
    // Plain http has no certificate to verify (client-node refuses http unless this is set).
    skipTLSVerify: conn.insecureSkipTlsVerify || current.skipTLSVerify || server.startsWith('http:'),
    ...(conn.certificateAuthority ? { caData: caDataFromPem(conn.certificateAuthority), caFile: undefined } : {}),
    proxyUrl: current.proxyUrl ?? proxyFor(server, env)
  }
  if (conn.insecureSkipTlsVerify) {
    delete (cluster as { caData?: string }).caData
    delete cluster.caFile
  }
  const user: KubeUser | null = kc.getCurrentUser()
  const contextName = context?.name ?? 'context'
  const rebuilt = new Kubeconfig({
    clusters: [cluster],
    users: user ? [user] : [{ name: 'user' }],
    contexts: [{ name: contextName, cluster: cluster.name, user: user?.name ?? 'user', namespace: context?.namespace }],
    currentContext: contextName
  })
  return { kubeConfig: rebuilt, server, namespace: context?.namespace, source }
}
