/**
 * The local OpenShift: an emulator of the OpenShift build and image APIs with an emulated atomic-reactor inside.
 *
 * Public API (stable):
 *
 *   const cluster = await startCluster({ port: 0 })
 *   cluster.url, cluster.token, cluster.namespace, cluster.kubeconfigPath, cluster.caCert (TLS)
 *   cluster.faults          fault injection (see faults.ts / README.md)
 *   cluster.requests        the requests served, in the order sent and answered (requests.ts)
 *   cluster.registries      the in-memory docker registries and Pulp environments
 *   cluster.publishExternalImage(ns, imageStream, tag, { from?, digest? })
 *   cluster.store           read access to every object (get / list / resourceVersion)
 *   await cluster.close()
 *
 * Options: see ClusterOptions (port, host, token, namespace, stateDir, tls, logWaitSeconds, logPace, podStartDelay,
 * reactor, craneHosts, watchHistory, watchMaxSeconds, fieldValidation, kubeconfig). The same fault injection and
 * external-image publication are served over HTTP under /_emulator/ (server.ts, README.md).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Accounts, type OidcIssuer } from './apiserver/authn.js'
import { Api } from './apiserver/rest.js'
import { BuildController, type Reactor } from './controllers/build.js'
import { FaultInjector } from './server/faults.js'
import { actLikeGo, GO_SERVER_OPTIONS, type GoLikeServer } from './server/go-http.js'
import { ImageImportController, ScheduledImportController } from './controllers/image-import.js'
import { isTerminal } from './registry/build/strategy.js'
import { Images } from './registry/imagestream/images.js'
import { publishExternal, type PublishedImage } from './registry/imagestream/publish.js'
import { RESOURCES, type RegistryDeps } from './registry/index.js'
import { LogStore } from './storage/build-logs.js'
import { KojiHub } from './koji/hub.js'
import { PodMirror } from './controllers/pod-mirror.js'
import { QuotaController } from './controllers/quota.js'
import { requireReactorTools, startRealReactor, type RealReactor, type ReactorMode } from './pod/real-reactor/real-reactor.js'
import { runReactor } from './reactor/index.js'
import { parsePullSpec, ImageRegistries } from './images/registries.js'
import { RealImages } from './images/real/engine.js'
import { RealBackend } from './reactor/backends/real.js'
import { SimulatedBackend } from './reactor/backends/simulated.js'
import { decideBuilds, type BuildsMode } from './images/real/tools.js'
import { selfSignedCertificate } from './server/self-signed.js'
import { RequestLog } from './server/requests.js'
import { createHandler } from './server/handler.js'
import { nowRFC3339, Store, type KubeObject, type StoreReader } from './storage/store.js'

export type { Reactor } from './controllers/build.js'
export type { ReactorHost, ReactorResult, ImportedTag, KubeObject } from './reactor/host.js'
export { FaultInjector, type RequestMatcher, type RequestFault, type PluginFault } from './server/faults.js'
export type { StoreReader } from './storage/store.js'
export type { OidcIssuer } from './apiserver/authn.js'
export type { PublishedImage } from './registry/imagestream/publish.js'
export { sequentialRoundTrips, type RequestEntry } from './server/requests.js'

export interface ClusterOptions {
  /** TCP port; 0 (default) picks a free one */
  port?: number
  /** listen address (default 127.0.0.1) */
  host?: string
  /** bearer token clients must send; default: a random one; `false` or `''`: no authentication */
  token?: string | false
  /** the namespace that exists from the start (default `osbs`) */
  namespace?: string
  /** more namespaces that exist from the start */
  namespaces?: string[]
  /**
   * Directory for build logs, the kubeconfig and the saved objects (`objects.json`, written on close and loaded on
   * start). Default: a temporary directory removed on close.
   */
  stateDir?: string
  /** serve HTTPS: PEM `cert`/`key`, or `true` for a self-signed certificate for 127.0.0.1 / localhost */
  tls?: { cert: string; key: string } | boolean
  /** seconds a log request waits for a New/Pending build before answering 504 (default 10, as OpenShift 3.x) */
  logWaitSeconds?: number
  /** ms per reactor step / paced log line (default 0: as fast as possible, yielding between steps) */
  logPace?: number
  /** ms a build stays Pending before its pod runs (default 5) */
  podStartDelay?: number
  /**
   * The build pod: `emulated` (default), the in-process atomic-reactor (reactor/index.ts); `real`, the real
   * atomic-reactor 1.6.26.3 of the peers as a process with podman's API (pod/real-reactor.ts; needs real builds and
   * the packages `requireReactorTools` names); or a Reactor function of a test's own.
   */
  reactor?: Reactor | ReactorMode
  /**
   * Seconds between two imports of the ImageStream tags with `importPolicy.scheduled: true` (OpenShift's
   * `imagePolicyConfig.scheduledImageImportMinimumIntervalSeconds`, default 900)
   */
  scheduledImportIntervalSeconds?: number
  /** with `reactor: 'real'`: ms between SIGTERM and SIGKILL of a cancelled build's pod (default 30000, as OpenShift) */
  podGracePeriodMs?: number
  /** serve a Koji hub on 127.0.0.1 (default true): `Cluster.kojiHub` */
  koji?: boolean
  /** Pulp environment name → crane host */
  craneHosts?: Record<string, string>
  /** watch events kept for resuming watches; older resourceVersions get 410 Expired (default 1000) */
  watchHistory?: number
  /** the server's limit for a watch, in seconds (default 1800) */
  watchMaxSeconds?: number
  /** unknown fields in writes when the request does not say: `Warn` (default, dropped with a Warning header), `Strict` (400), `Ignore` */
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict'
  /**
   * Refuse the Custom build strategy with 403 `build strategy Custom is not allowed` (creates and updates of
   * BuildConfigs and Builds using it, instantiate, clone), as OpenShift does for users not bound to
   * `system:build-strategy-custom` (default false)
   */
  customStrategyForbidden?: boolean
  /** An external OIDC issuer whose ID tokens authenticate (GitHub Actions' tokens; see accounts.ts), none by default. */
  oidc?: OidcIssuer
  /**
   * `real`: buildah builds the Dockerfile and real registries (Debian's docker-registry, one process per name in
   * `registryNames`) receive the pushes; `simulated`: the emulated build and in-memory registries; `auto`: real
   * when buildah, docker-registry and busybox-static are installed (default `simulated`; the CLI's default is `auto`)
   */
  builds?: BuildsMode
  /** with real builds: the registries to host, by name (default `['registry']`); addresses in `registryHosts` */
  registryNames?: string[]
  /** with real builds: the registry base images are published to (default: the first of `registryNames`) */
  sourceRegistry?: string
  /** write a kubeconfig file (default true) */
  kubeconfig?: boolean
  /**
   * Without `tls`: also answer TLS on the same port (self-signed) and point the kubeconfig at it, since kubectl
   * sends bearer tokens only over TLS (default true).
   */
  kubeconfigTLS?: boolean
}

export interface Cluster {
  /** `http://127.0.0.1:<port>` (https with `tls`) */
  readonly url: string
  /** bearer token ('' when authentication is off) */
  readonly token: string
  readonly namespace: string
  /** kubeconfig written for this cluster (server, token, namespace) */
  readonly kubeconfigPath?: string
  /** PEM of the serving certificate (with `tls`, or of the kubeconfig's TLS endpoint) */
  readonly caCert?: string
  readonly faults: FaultInjector
  /** every API request served, with the order of sending and answering (see requests.ts) */
  readonly requests: RequestLog
  readonly registries: ImageRegistries
  /** `real` or `simulated` (what `builds: 'auto'` chose) */
  readonly builds: 'real' | 'simulated'
  /** what runs in the build pods: the in-process atomic-reactor, the real one, or a test's own */
  readonly reactor: ReactorMode | 'custom'
  /** when `auto` chose simulated builds: which packages make them real (say it once) */
  readonly buildsNotice?: string
  /** with real builds: registry name → `127.0.0.1:PORT` (give these to the action); `{}` when simulated */
  readonly registryHosts: Readonly<Record<string, string>>
  /** with real builds: the registry base images are published to (`127.0.0.1:PORT`) */
  readonly sourceRegistryHost?: string
  /** with real builds: PEM of the certificate the registries serve over TLS (made for this cluster) */
  readonly registryCA?: string
  /** with real builds: a file holding `registryCA`, alone in its directory (`skopeo --cert-dir <that directory>`) */
  readonly registryCAFile?: string
  /** with real builds: the directory of the registries' storage and buildah's (removed by `close()`) */
  readonly imagesDir?: string
  /** URL of the local Koji hub (XML-RPC), for the action's `koji-hub` and bump_release; '' without one */
  readonly kojiHub: string
  /** the Koji hub itself (its build table), when served */
  readonly koji: KojiHub | undefined
  /** read access to every object */
  readonly store: StoreReader
  /**
   * Publish a new version of an external image and move `<imageStream>:<tag>` to it (creating the ImageStream and
   * tag when missing): ImageChange triggers fire. `from` is the external pull spec (default: the tag's current
   * `from`, else `<imageStream>:<tag>`).
   */
  publishExternalImage(namespace: string, imageStream: string, tag: string, opts?: { from?: string; digest?: string }): PublishedImage
  /**
   * Publish a new version of a base image and move `<imageStream>:<tag>` to it. With real builds a real image is
   * built (busybox files, real/base-images.ts) and pushed to the source registry as `<repository of from>:<tag>`,
   * and the tag points at the digest the registry serves; simulated, as `publishExternalImage`.
   */
  publishImage(namespace: string, imageStream: string, tag: string, opts?: { from?: string }): Promise<PublishedImage>
  /**
   * Resolves once the build controller has handled every change made so far: triggers checked, builds started or
   * queued by their runPolicy. A test that asserts that something did *not* happen waits for this, not a time.
   */
  settled(): Promise<void>
  /** Close every open connection (streams and watches included), as an API server restart or a load balancer would; serving goes on. */
  dropConnections(): void
  /** Stop serving, stop the build pods, save objects to stateDir (when given), remove temporary files. */
  close(): Promise<void>
}

/**
 * One port, two protocols: a TLS ClientHello (first byte 0x16) goes to the HTTPS server, anything else to the
 * plain HTTP server. kubectl (client-go) never sends a bearer token over plain HTTP, so the kubeconfig points at
 * https on the same port while `url` stays http.
 */
function dualServer(http: Server, https: Server | undefined): NetServer {
  const sockets = new Set<Socket>()
  const front = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.once('data', (buf) => {
      socket.pause()
      socket.unshift(buf)
      ;(https && buf[0] === 0x16 ? https : http).emit('connection', socket)
      process.nextTick(() => socket.resume())
    })
    socket.on('error', () => socket.destroy())
  })
  front.on('close', () => sockets.forEach((s) => s.destroy()))
  ;(front as NetServer & { destroyAll?: () => void }).destroyAll = () => sockets.forEach((s) => s.destroy())
  return front
}

function kubeconfigYAML(server: string, token: string, namespace: string, ca?: string): string {
  const q = (s: string) => JSON.stringify(s)
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: local-openshift',
    '  cluster:',
    `    server: ${q(server)}`,
    ...(ca ? [`    certificate-authority-data: ${Buffer.from(ca).toString('base64')}`] : []),
    'users:',
    '- name: local-openshift-user',
    '  user:',
    ...(token ? [`    token: ${q(token)}`] : ['    {}']),
    'contexts:',
    '- name: local-openshift',
    '  context:',
    '    cluster: local-openshift',
    '    user: local-openshift-user',
    `    namespace: ${q(namespace)}`,
    'current-context: local-openshift',
    'preferences: {}',
    ''
  ]
  return lines.join('\n')
}

/** The README written beside the kubeconfig: where the API and the registries are. */
function clusterReadme(url: string, namespace: string, builds: 'real' | 'simulated', engine?: RealImages): string {
  const lines = ['Local OpenShift', '', `API server: ${url} (kubeconfig: the file "kubeconfig" here), namespace ${namespace}`, `Builds: ${builds}`]
  if (builds === 'real' && engine) {
    lines.push('', 'Registries (docker registry API v2 over TLS):')
    for (const [name, host] of Object.entries(engine.hosts)) lines.push(`  ${name}: ${host}${host === engine.sourceHost ? ' (base images are published here)' : ''}`)
    lines.push(`Their certificate (self-signed, for 127.0.0.1 and localhost, made for this cluster): ${engine.caFile}`)
    lines.push('', 'Give the action registry-uri: <registry>/v2 and source-registry-uri: <source registry>.')
    lines.push(`Read an image back: skopeo inspect --cert-dir ${dirname(engine.caFile)} docker://<image>`)
    lines.push('  (or skopeo inspect --tls-verify=false docker://<image>, without checking the certificate)')
  } else {
    lines.push('Images are not built: the registries are in memory (the /v2/ API of the server above).')
  }
  return lines.join('\n') + '\n'
}

const SAVED_KINDS = ['namespaces', 'users', 'serviceaccounts', 'secrets', 'configmaps', 'resourcequotas', 'buildconfigs', 'builds', 'imagestreams']

function loadState(store: Store, file: string): void {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, KubeObject[]> & { resourceVersion?: string }
  store.advanceTo(Number(saved.resourceVersion ?? 0))
  for (const plural of SAVED_KINDS) {
    for (const o of saved[plural] ?? []) {
      if (plural === 'builds' && !isTerminal(o)) {
        // The pod did not survive the restart.
        o.status = { ...(o.status ?? {}), phase: 'Error', reason: 'BuildPodDeleted', message: 'The pod for this build was deleted before the build completed.', completionTimestamp: nowRFC3339() }
      }
      if (!store.has(plural, o.metadata.namespace ?? '', o.metadata.name)) store.create(plural, o)
    }
  }
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const namespace = options.namespace ?? 'osbs'
  const token = options.token === false || options.token === '' ? undefined : (options.token ?? randomBytes(16).toString('hex'))
  const tempDir = options.stateDir ? undefined : mkdtempSync(join(tmpdir(), 'local-openshift-'))
  const dir = options.stateDir ?? tempDir!
  mkdirSync(dir, { recursive: true })

  const store = new Store(options.watchHistory ?? 1000)
  const stateFile = join(dir, 'objects.json')
  if (options.stateDir && existsSync(stateFile)) loadState(store, stateFile)
  for (const ns of [namespace, ...(options.namespaces ?? [])]) {
    if (!store.has('namespaces', '', ns)) {
      store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } })
    }
  }
  const registries = new ImageRegistries({ craneHosts: options.craneHosts })
  const realReactor = options.reactor === 'real'
  // the real atomic-reactor builds and pushes for real: it needs the real registries
  if (realReactor && options.builds === 'simulated') throw new Error('--reactor real builds for real: it cannot run with --builds simulated')
  const reactorTools = realReactor ? requireReactorTools() : undefined
  const decision = decideBuilds(realReactor ? 'real' : (options.builds ?? 'simulated'))
  const engine = decision.tools ? await RealImages.start({ tools: decision.tools, names: options.registryNames ?? ['registry'], source: options.sourceRegistry, registries }) : undefined
  const images = new Images(store, registries)
  // With a state dir the logs stay there for the next run, like the pods of finished builds on a real cluster.
  const logs = new LogStore(join(dir, 'logs'))
  const faults = new FaultInjector()
  const koji = options.koji === false ? undefined : new KojiHub()
  if (koji) await koji.start()
  let realPods: RealReactor | undefined
  const controller = new BuildController(store, images, logs, faults, registries, {
    koji,
    reactor: typeof options.reactor === 'function' ? options.reactor : realReactor ? (host) => realPods!.reactor(host) : runReactor,
    backend: engine ? new RealBackend(engine, registries) : new SimulatedBackend(registries),
    logPace: options.logPace ?? 0,
    podStartDelay: options.podStartDelay ?? 5
  })
  let servingCA: string | undefined
  const accounts = new Accounts(store, token, () => servingCA, options.oidc)
  const api = new Api<RegistryDeps>({
    store,
    resources: RESOURCES,
    deps: { accounts, images, logs, logWaitSeconds: options.logWaitSeconds ?? 10, customStrategyForbidden: options.customStrategyForbidden ?? false },
    fieldValidation: options.fieldValidation ?? 'Warn',
    watchMaxSeconds: options.watchMaxSeconds ?? 1800
  })

  let tls: { cert: string; key: string } | undefined
  if (options.tls === true) tls = selfSignedCertificate()
  else if (options.tls) tls = options.tls
  const host = options.host ?? '127.0.0.1'
  let url = ''
  const publishExternalImage = (ns: string, imageStream: string, tag: string, opts?: { from?: string; digest?: string }) => publishExternal(images, ns, imageStream, tag, opts)
  const publishImage = async (ns: string, imageStream: string, tag: string, opts: { from?: string; digest?: string } = {}) => {
    if (!engine || opts.digest) return publishExternalImage(ns, imageStream, tag, opts)
    const current = store.get('imagestreams', ns, imageStream)?.spec?.tags?.find((t: any) => t.name === tag)?.from?.name
    const repository = parsePullSpec(opts.from ?? current ?? imageStream).repository
    const published = await engine.publishBase(repository, tag)
    return publishExternal(images, ns, imageStream, tag, { from: published.pullSpec, digest: published.digest })
  }
  const closing = new AbortController()
  const requests = new RequestLog()
  const handler = createHandler({
    requests,
    api,
    accounts,
    store,
    images,
    faults,
    registries,
    token,
    namespace,
    address: () => url.replace(/^https?:\/\//, ''),
    publishExternalImage: publishImage,
    closing: closing.signal
  })
  let server: NetServer
  let kubeTLS: { cert: string; key: string } | undefined
  // Served as Go's net/http serves kube-apiserver (gohttp.ts): Expect, header size limit, no idle timeout.
  const served: GoLikeServer[] = []
  const goLike = <S extends Server>(s: S): S => {
    served.push(actLikeGo(s, handler))
    return s
  }
  if (tls) server = goLike(createHttpsServer({ ...GO_SERVER_OPTIONS, cert: tls.cert, key: tls.key }))
  else {
    if (options.kubeconfig !== false && options.kubeconfigTLS !== false) kubeTLS = selfSignedCertificate()
    const plain = goLike(createHttpServer(GO_SERVER_OPTIONS))
    server = dualServer(plain, kubeTLS ? goLike(createHttpsServer({ ...GO_SERVER_OPTIONS, cert: kubeTLS.cert, key: kubeTLS.key })) : undefined)
  }
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, host, () => resolve())
    })
    servingCA = (tls ?? kubeTLS)?.cert
    if (reactorTools && engine) {
      realPods = await startRealReactor({ tools: reactorTools, engine, store, trustedCAs: [engine.caCert, servingCA].filter((c): c is string => !!c), gracePeriodMs: options.podGracePeriodMs })
    }
  } catch (err) {
    await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))
    await engine?.close()
    await koji?.close()
    throw err
  }
  const port = (server.address() as AddressInfo).port
  const hostPart = host.includes(':') ? `[${host}]` : host
  url = `${tls ? 'https' : 'http'}://${hostPart}:${port}`
  accounts.start()
  const pods = new PodMirror(store, images)
  pods.start()
  const quotas = new QuotaController(store)
  quotas.start()
  controller.start()
  const refresh = engine ? (specs: string[]) => engine.refresh(specs) : undefined
  const imageImport = new ImageImportController(store, images, refresh)
  imageImport.start()
  const scheduledImport = new ScheduledImportController(store, images, (options.scheduledImportIntervalSeconds ?? 900) * 1000, refresh)
  scheduledImport.start()

  let kubeconfigPath: string | undefined
  if (options.kubeconfig !== false) {
    kubeconfigPath = join(dir, 'kubeconfig')
    const kubeURL = kubeTLS ? `https://${hostPart}:${port}` : url
    writeFileSync(kubeconfigPath, kubeconfigYAML(kubeURL, token ?? '', namespace, (tls ?? kubeTLS)?.cert), { mode: 0o600 })
    writeFileSync(join(dir, 'README'), clusterReadme(url, namespace, decision.mode, engine))
  }

  let closed = false
  return {
    url,
    token: token ?? '',
    namespace,
    kubeconfigPath,
    caCert: (tls ?? kubeTLS)?.cert,
    faults,
    requests,
    registries,
    builds: decision.mode,
    reactor: typeof options.reactor === 'function' ? 'custom' : realReactor ? 'real' : 'emulated',
    buildsNotice: decision.notice,
    registryHosts: engine?.hosts ?? {},
    sourceRegistryHost: engine?.sourceHost,
    registryCA: engine?.caCert,
    registryCAFile: engine?.caFile,
    imagesDir: engine?.dir,
    kojiHub: koji?.url ?? '',
    koji,
    store,
    publishExternalImage,
    publishImage,
    settled: () => controller.settled(),
    dropConnections() {
      if ('closeAllConnections' in server) (server as Server).closeAllConnections()
      ;(server as NetServer & { destroyAll?: () => void }).destroyAll?.()
    },
    async close() {
      if (closed) return
      closed = true
      closing.abort()
      await imageImport.close()
      await scheduledImport.close()
      accounts.close()
      pods.close()
      quotas.close()
      await controller.close()
      await realPods?.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        if ('closeAllConnections' in server) (server as Server).closeAllConnections()
        ;(server as NetServer & { destroyAll?: () => void }).destroyAll?.()
      })
      // every handler has seen its connection end (waiting log requests clear their timers then)
      await Promise.all(served.map((s) => s.settled()))
      logs.closeAll()
      await engine?.close()
      await koji?.close()
      if (options.stateDir) {
        const saved: Record<string, unknown> = { resourceVersion: store.resourceVersion }
        for (const p of SAVED_KINDS) saved[p] = store.list(p)
        writeFileSync(stateFile, JSON.stringify(saved))
      }
      if (tempDir) rmSync(tempDir, { recursive: true, force: true })
    }
  }
}
