/** What a local OpenShift is started with (ClusterOptions) and what a started one offers (Cluster). */
import type { OidcIssuer } from '../apiserver/authn.js'
import type { Subject } from '../apiserver/authz.js'
import type { FaultInjector } from '../faults.js'
import type { ImageRegistries } from '../images/registries.js'
import type { BuildsMode } from '../images/real/tools.js'
import type { KojiHub } from '../koji/hub.js'
import type { MailServer } from '../mail/smtp.js'
import type { ReactorMode } from '../pod/real-reactor/real-reactor.js'
import type { Reactor } from '../reactor/host.js'
import type { PublishedImage } from '../registry/imagestream/publish.js'
import type { RequestLog } from '../server/requests.js'
import type { StoreReader } from '../storage/store.js'
import type { YumRepos } from '../yum/repo-server.js'

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
  /** seconds a log request waits for a New/Pending build before its 400 (default 10; OpenShift 3.11 waits 30) */
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
  /** build targets the Koji hub has (`koji add-target NAME NAME-build NAME`), each tag with a ready, empty yum repo */
  kojiTargets?: string[]
  /** serve a mail server (SMTP) on 127.0.0.1 (default true): `Cluster.mail`, `Cluster.smtpHost` */
  mail?: boolean
  /** serve yum repositories over HTTP on 127.0.0.1 (default true): `Cluster.yum` */
  yum?: boolean
  /** Pulp environment name → crane host */
  craneHosts?: Record<string, string>
  /** watch events kept for resuming watches; older resourceVersions get 410 Expired (default 1000) */
  watchHistory?: number
  /** the server's limit for a watch, in seconds (default 1800) */
  watchMaxSeconds?: number
  /** unknown fields in writes when the request does not say: `Warn` (default, dropped with a Warning header), `Strict` (400), `Ignore` */
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict'
  /**
   * The subjects bound to the cluster role `system:build-strategy-custom`, as a ClusterRoleBinding's: only they may
   * write Custom-strategy builds (creates and updates of BuildConfigs and Builds using it, instantiate, clone, the
   * cancel PATCH); any other account gets 403 `build strategy Custom is not allowed`, as from OpenShift's admission
   * plugin BuildByStrategy, and `allowed: false` from a SelfSubjectAccessReview of `create` `builds/custom`. Default:
   * the cluster's user and the service accounts `builder` and `deployer` of the namespaces that exist from the start
   * (as an OSBS deployment grants its builder account); `default` and any other account lack it.
   */
  customStrategySubjects?: Subject[]
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
  /** the Koji hub's topurl (`root` of the koji plugin): its yum repos and imported files over HTTP; '' without one */
  readonly kojiRoot: string
  /** the Koji hub itself (its builds, tags, tasks), when served; its SSL login files are the namespace's Secret `kojisecret` */
  readonly koji: KojiHub | undefined
  /** the mail server builds send to (`sendmail`'s `smtp_host`), when served: `mail.messages()` */
  readonly mail: MailServer | undefined
  /** `127.0.0.1:PORT` of the mail server, for the action's `smtp-host`; '' without one */
  readonly smtpHost: string
  /** the yum repositories, when served: `yum.repo(name)` is the URL of a `.repo` file (`add_yum_repo_by_url`) */
  readonly yum: YumRepos | undefined
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
