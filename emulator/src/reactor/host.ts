/**
 * The contract between the emulated cluster (store, API, build controller) and the emulated atomic-reactor.
 *
 * The build controller starts one "pod" per Build by calling `runReactor(host)` (reactor/index.ts) once the Build
 * is Running. The reactor never touches the store or HTTP directly: it goes through this host, which the
 * controller implements on top of the store (so every write bumps resourceVersion and reaches watchers).
 */

import type { ImportedTag, KubeObject } from '../api/object.js'
import type { ImageRegistries } from '../images/registries.js'
import type { BuildBackend } from './backend.js'

export type { KubeObject }

/** What the reactor reports when the pod ends. */
export interface ReactorResult {
  /** Complete when true; Failed otherwise. */
  success: boolean
  /** For a failure: the Build's status.reason (e.g. GenericBuildFailed) and status.message. */
  reason?: string
  message?: string
  /** Pull spec of the pushed image, for status.outputDockerImageReference. */
  outputDockerImageReference?: string
  /** v2 digest of the pushed image, for status.output.to.imageDigest. */
  imageDigest?: string
  /** The N-V-R bump_release got from the Koji hub `hub`, for the hub's build table. */
  kojiBuild?: { hub: string; name: string; version: string; release: string }
}

/** One image tag to import into an ImageStream (import_image). */
export type { ImportedTag }

export interface ReactorHost {
  /** Snapshot of the Build as the pod started (spec, labels, annotations). */
  readonly build: KubeObject
  readonly namespace: string
  /**
   * The pod's environment as its container sees it: OpenShift's custom build strategy env (`BUILD`, `SOURCE_URI`,
   * `SOURCE_REF`, `OUTPUT_IMAGE`, the strategy's `env` with `ATOMIC_REACTOR_PLUGINS`…), the last of a repeated name.
   */
  readonly env: Readonly<Record<string, string>>
  /**
   * The pod's source secret volume (`spec.source.sourceSecret`) written under `dir` as the kubelet writes it: its
   * path in the container (`target`, what `SOURCE_SECRET_PATH` names) and where it is (`source`); undefined without
   * one. Throws when the secret does not exist. The in-process reactor's `git` reads it through `source`.
   */
  writeSourceVolume?(dir: string): { source: string; target: string } | undefined
  /** Where images are pulled, built, pushed and removed: simulated or real, chosen once when the host is made. */
  readonly backend: BuildBackend
  /** Aborted when the build is cancelled; the reactor stops at the next step and returns. */
  readonly signal: AbortSignal

  /** Append one line to the build log (the host stores it with its own timestamp for `timestamps=true`). */
  log(line: string): void
  /** Wait between log lines / steps, honouring the configured pace; rejects when the signal aborts. */
  pace(steps?: number): Promise<void>

  /** Current BuildConfig of this build (by the `openshift.io/build-config.name` annotation), or undefined. */
  getBuildConfig(): KubeObject | undefined
  /** Merge labels into the BuildConfig (others kept), retrying on conflict like atomic-reactor does. */
  mergeBuildConfigLabels(labels: Record<string, string>): void
  /** Replace this Build's annotations (store_metadata_in_osv3 through osbs-client's set_annotations_on_build: GET, replace, PUT). */
  setBuildAnnotations(annotations: Record<string, string>): void
  /** Merge labels into this Build's (store_metadata_in_osv3 through osbs-client's update_labels_on_build: `koji-build-id`). */
  mergeBuildLabels?(labels: Record<string, string>): void
  /**
   * The files of the build's secret mounted at `mountPath` (`spec.strategy.customStrategy.secrets[]`), by key, as
   * the kubelet writes them into the pod; undefined when no secret is mounted there (the Koji plugins' koji_ssl_certs).
   */
  secretFiles?(mountPath: string): Record<string, Buffer> | undefined

  /** An ImageStream of the build's namespace, or undefined. */
  getImageStream(name: string): KubeObject | undefined
  /** Create an ImageStream of `spec.dockerImageRepository` (as osbs-client's create_image_stream): OpenShift imports it. */
  createImageStream(name: string, dockerImageRepository: string, insecure: boolean): void

  /** Create the ImageStream if missing (spec.dockerImageRepository) and move the given tags; fires ImageChange triggers. */
  importImage(imageStream: string, dockerImageRepository: string, tags: ImportedTag[], insecure?: boolean): void

  /** The emulator-wide docker registries (lookups, the record of pushes) and Pulp environments (registry.ts). */
  readonly registries: ImageRegistries

  /** Fault injection: a message when the test asked this plugin to fail, else undefined. */
  pluginFault(pluginName: string): string | undefined
}

/** The pod's work: an atomic-reactor (the imitation, or the real one in a process) run against a host. */
export type Reactor = (host: ReactorHost) => Promise<ReactorResult>
