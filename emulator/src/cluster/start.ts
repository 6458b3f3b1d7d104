/**
 * The composition root: `startCluster` makes the parts of a local OpenShift (storage, the docker registries and
 * their real engine, the API, the controllers, the build pods' reactor, Koji), serves them, and hands back a
 * Cluster whose `close()` stops them (the controllers, the pods, the front, the registries, Koji) and saves the
 * objects of a stateDir.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Server as NetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Accounts } from '../apiserver/authn.js'
import { defaultCustomStrategySubjects } from '../apiserver/authz.js'
import { Api } from '../apiserver/rest.js'
import { BuildController } from '../controllers/build.js'
import { ImageImportController, ScheduledImportController } from '../controllers/image-import.js'
import { PodMirror } from '../controllers/pod-mirror.js'
import { QuotaController } from '../controllers/quota.js'
import { FaultInjector } from '../faults.js'
import { RealImages } from '../images/real/engine.js'
import { decideBuilds } from '../images/real/tools.js'
import { ImageRegistries } from '../images/registries.js'
import { parsePullSpec } from '../images/pullspec.js'
import type { KojiHub } from '../koji/hub.js'
import { startKojiHub } from './koji.js'
import { requireReactorTools, startRealReactor, type RealReactor } from '../pod/real-reactor/real-reactor.js'
import { RealBackend } from '../reactor/backends/real.js'
import { SimulatedBackend } from '../reactor/backends/simulated.js'
import { runReactor } from '../reactor/index.js'
import { Images } from '../registry/imagestream/images.js'
import { publishExternal } from '../registry/imagestream/publish.js'
import { RESOURCES, type RegistryDeps } from '../registry/index.js'
import { dropConnections, dualServer } from '../server/dual-port.js'
import { actLikeGo, GO_SERVER_OPTIONS, type GoLikeServer } from '../server/go-http.js'
import { createHandler } from '../server/handler.js'
import { RequestLog } from '../server/requests.js'
import { LogStore } from '../storage/build-logs.js'
import { Store } from '../storage/store.js'
import { selfSignedCertificate } from '../util/self-signed.js'
import { clusterReadme, kubeconfigYAML, loadState, saveState } from './files.js'
import { startBuildServices, type BuildServices } from './services.js'
import type { Cluster, ClusterOptions } from './options.js'

/** Everything a cluster is made of before it serves. */
interface Parts {
  options: ClusterOptions
  namespace: string
  token: string | undefined
  /** The cluster's directory (stateDir, or a temporary one: `tempDir`). */
  dir: string
  tempDir?: string
  stateFile: string
  store: Store
  registries: ImageRegistries
  decision: ReturnType<typeof decideBuilds>
  realReactor: boolean
  reactorTools?: ReturnType<typeof requireReactorTools>
  engine?: RealImages
  images: Images
  logs: LogStore
  faults: FaultInjector
  koji?: KojiHub
  /** the mail server and the yum repositories */
  services: BuildServices
  controller: BuildController
  accounts: Accounts
  api: Api<RegistryDeps>
  /** The real atomic-reactor's pods, once serving (they call the API). */
  realPods?: RealReactor
  /** The serving certificate, once serving (the service account token secrets' `ca.crt`). */
  servingCA?: string
}

/** What serves the parts. */
interface Serving {
  server: NetServer
  served: GoLikeServer[]
  url: string
  hostPart: string
  port: number
  tls?: { cert: string; key: string }
  kubeTLS?: { cert: string; key: string }
  requests: RequestLog
  closing: AbortController
}

/** A part that runs until the cluster closes. */
interface Running {
  close(): void | Promise<void>
}

/** Storage, namespaces and the saved objects. */
function makeStore(options: ClusterOptions, namespace: string, stateFile: string): Store {
  const store = new Store(options.watchHistory ?? 1000)
  if (options.stateDir && existsSync(stateFile)) loadState(store, stateFile)
  for (const ns of [namespace, ...(options.namespaces ?? [])]) {
    if (!store.has('namespaces', '', ns)) {
      store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } })
    }
  }
  return store
}

async function makeParts(options: ClusterOptions): Promise<Parts> {
  const namespace = options.namespace ?? 'osbs'
  const token = options.token === false || options.token === '' ? undefined : (options.token ?? randomBytes(16).toString('hex'))
  const tempDir = options.stateDir ? undefined : mkdtempSync(join(tmpdir(), 'local-openshift-'))
  const dir = options.stateDir ?? tempDir!
  mkdirSync(dir, { recursive: true })
  const stateFile = join(dir, 'objects.json')
  const store = makeStore(options, namespace, stateFile)
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
  const koji = options.koji === false ? undefined : await startKojiHub(store, namespace, options.kojiTargets)
  const services = await startBuildServices(options)
  const parts = { options, namespace, token, dir, tempDir, stateFile, store, registries, decision, realReactor, reactorTools, engine, images, logs, faults, koji, services } as Parts
  parts.controller = new BuildController(store, images, logs, faults, registries, {
    koji,
    reactor: typeof options.reactor === 'function' ? options.reactor : realReactor ? (host) => parts.realPods!.reactor(host) : runReactor,
    backend: engine ? new RealBackend(engine, registries) : new SimulatedBackend(registries),
    logPace: options.logPace ?? 0,
    podStartDelay: options.podStartDelay ?? 5
  })
  parts.accounts = new Accounts(store, token, () => parts.servingCA, options.oidc)
  parts.api = new Api<RegistryDeps>({
    store,
    resources: RESOURCES,
    deps: {
      accounts: parts.accounts,
      images,
      logs,
      logWaitSeconds: options.logWaitSeconds ?? 10,
      customStrategySubjects: options.customStrategySubjects ?? defaultCustomStrategySubjects([namespace, ...(options.namespaces ?? [])]),
      refreshRegistries: engine ? (specs) => engine.refresh(specs) : undefined
    },
    fieldValidation: options.fieldValidation ?? 'Warn',
    watchMaxSeconds: options.watchMaxSeconds ?? 1800
  })
  return parts
}

/** A new version of a base image: with real builds built and pushed to the source registry, else recorded. */
function imagePublishers(parts: Parts): Pick<Cluster, 'publishExternalImage' | 'publishImage'> {
  const { images, store, engine, koji } = parts
  const publishExternalImage = (ns: string, imageStream: string, tag: string, opts?: { from?: string; digest?: string }) => publishExternal(images, ns, imageStream, tag, opts)
  const publishImage = async (ns: string, imageStream: string, tag: string, opts: { from?: string; digest?: string } = {}) => {
    if (!engine || opts.digest) return publishExternalImage(ns, imageStream, tag, opts)
    const current = store.get('imagestreams', ns, imageStream)?.spec?.tags?.find((t: any) => t.name === tag)?.from?.name
    const repository = parsePullSpec(opts.from ?? current ?? imageStream).repository
    const published = await engine.publishBase(repository, tag)
    // A site builds its base images' packages in Koji: the hub knows them, so an image's RPM components match.
    for (const rpm of published.rpms) if (koji && !koji.data.rpm(rpm)) koji.importRpm(rpm)
    return publishExternal(images, ns, imageStream, tag, { from: published.pullSpec, digest: published.digest })
  }
  return { publishExternalImage, publishImage }
}

/** The HTTP front on its port (HTTPS with `tls`; else HTTP, and TLS on the same port for kubectl), served as Go serves. */
async function serve(parts: Parts): Promise<Serving> {
  const { options } = parts
  let tls: { cert: string; key: string } | undefined
  if (options.tls === true) tls = selfSignedCertificate()
  else if (options.tls) tls = options.tls
  const host = options.host ?? '127.0.0.1'
  let url = ''
  const closing = new AbortController()
  const requests = new RequestLog()
  const handler = createHandler({
    requests,
    api: parts.api,
    accounts: parts.accounts,
    store: parts.store,
    images: parts.images,
    faults: parts.faults,
    registries: parts.registries,
    token: parts.token,
    namespace: parts.namespace,
    address: () => url.replace(/^https?:\/\//, ''),
    publishExternalImage: imagePublishers(parts).publishImage,
    closing: closing.signal
  })
  // Served as Go's net/http serves kube-apiserver (go-http.ts): Expect, header size limit, no idle timeout.
  const served: GoLikeServer[] = []
  const goLike = <S extends Server>(s: S): S => {
    served.push(actLikeGo(s, handler))
    return s
  }
  let server: NetServer
  let kubeTLS: { cert: string; key: string } | undefined
  if (tls) server = goLike(createHttpsServer({ ...GO_SERVER_OPTIONS, cert: tls.cert, key: tls.key }))
  else {
    if (options.kubeconfig !== false && options.kubeconfigTLS !== false) kubeTLS = selfSignedCertificate()
    const plain = goLike(createHttpServer(GO_SERVER_OPTIONS))
    server = dualServer(plain, kubeTLS ? goLike(createHttpsServer({ ...GO_SERVER_OPTIONS, cert: kubeTLS.cert, key: kubeTLS.key })) : undefined)
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const hostPart = host.includes(':') ? `[${host}]` : host
  url = `${tls ? 'https' : 'http'}://${hostPart}:${port}`
  return { server, served, url, hostPart, port, tls, kubeTLS, requests, closing }
}

/** Start the controllers; returned in the order they close (the imports first, the build controller last). */
function startControllers(parts: Parts): Running[] {
  const { store, images, engine } = parts
  parts.accounts.start()
  const pods = new PodMirror(store, images)
  pods.start()
  const quotas = new QuotaController(store)
  quotas.start()
  parts.controller.start()
  const refresh = engine ? (specs: string[]) => engine.refresh(specs) : undefined
  const imageImport = new ImageImportController(store, images, refresh)
  imageImport.start()
  const scheduledImport = new ScheduledImportController(store, images, (parts.options.scheduledImportIntervalSeconds ?? 900) * 1000, refresh)
  scheduledImport.start()
  return [imageImport, scheduledImport, parts.accounts, pods, quotas, parts.controller]
}

/** The kubeconfig (pointing at the TLS endpoint when there is one) and the README beside it. */
function writeFiles(parts: Parts, serving: Serving): string | undefined {
  if (parts.options.kubeconfig === false) return undefined
  const kubeconfigPath = join(parts.dir, 'kubeconfig')
  const kubeURL = serving.kubeTLS ? `https://${serving.hostPart}:${serving.port}` : serving.url
  writeFileSync(kubeconfigPath, kubeconfigYAML(kubeURL, parts.token ?? '', parts.namespace, (serving.tls ?? serving.kubeTLS)?.cert), { mode: 0o600 })
  writeFileSync(join(parts.dir, 'README'), clusterReadme(serving.url, parts.namespace, parts.decision.mode, parts.engine))
  return kubeconfigPath
}

/** Stop serving: no new connection, every open one ended, every handler settled. */
async function stopServing(serving: Serving): Promise<void> {
  serving.closing.abort()
  await new Promise<void>((resolve) => {
    serving.server.close(() => resolve())
    dropConnections(serving.server)
  })
  // every handler has seen its connection end (waiting log requests clear their timers then)
  await Promise.all(serving.served.map((s) => s.settled()))
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const parts = await makeParts(options)
  const { engine, koji } = parts
  let serving: Serving | undefined
  try {
    serving = await serve(parts)
    parts.servingCA = (serving.tls ?? serving.kubeTLS)?.cert
    if (parts.reactorTools && engine) {
      const trustedCAs = [engine.caCert, parts.servingCA].filter((c): c is string => !!c)
      parts.realPods = await startRealReactor({ tools: parts.reactorTools, engine, store: parts.store, trustedCAs, gracePeriodMs: options.podGracePeriodMs })
    }
  } catch (err) {
    if (serving) await stopServing(serving)
    await engine?.close()
    await koji?.close()
    await parts.services.close()
    throw err
  }
  const running = startControllers(parts)
  const kubeconfigPath = writeFiles(parts, serving)
  const live = serving
  let closed = false
  return {
    url: live.url,
    token: parts.token ?? '',
    namespace: parts.namespace,
    kubeconfigPath,
    caCert: parts.servingCA,
    faults: parts.faults,
    requests: live.requests,
    registries: parts.registries,
    builds: parts.decision.mode,
    reactor: typeof options.reactor === 'function' ? 'custom' : parts.realReactor ? 'real' : 'emulated',
    buildsNotice: parts.decision.notice,
    registryHosts: engine?.hosts ?? {},
    sourceRegistryHost: engine?.sourceHost,
    registryCA: engine?.caCert,
    registryCAFile: engine?.caFile,
    imagesDir: engine?.dir,
    kojiHub: koji?.url ?? '',
    kojiRoot: koji?.topurl ?? '',
    koji,
    mail: parts.services.mail,
    smtpHost: parts.services.mail?.host ?? '',
    yum: parts.services.yum,
    store: parts.store,
    ...imagePublishers(parts),
    settled: () => parts.controller.settled(),
    dropConnections: () => dropConnections(live.server),
    async close() {
      if (closed) return
      closed = true
      live.closing.abort()
      for (const part of running) await part.close()
      await parts.realPods?.close()
      await stopServing(live)
      parts.logs.closeAll()
      await engine?.close()
      await koji?.close()
      await parts.services.close()
      if (options.stateDir) saveState(parts.store, parts.stateFile)
      if (parts.tempDir) rmSync(parts.tempDir, { recursive: true, force: true })
    }
  }
}
