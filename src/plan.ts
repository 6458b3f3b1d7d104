/**
 * A BuildPlan is everything the action will write to the cluster, computed without any network request from the
 * Settings and the checkout (Dockerfile, repo config). `planBuild` (render/…) produces it; the cluster flow only
 * executes it; dry-run prints it.
 */
import type { Settings } from './settings.js'
import type { Problem } from './errors.js'
import type { ImageStreamObject } from './render/image-stream.js'

/** A BuildConfig object as sent to `build.openshift.io/v1`. */
export interface BuildConfigObject {
  apiVersion: 'build.openshift.io/v1'
  kind: 'BuildConfig'
  metadata: {
    name: string
    namespace?: string
    labels: Record<string, string>
    annotations?: Record<string, string>
    resourceVersion?: string
  }
  spec: Record<string, any>
  status?: Record<string, any>
}

export interface PluginEntry {
  name: string
  args?: Record<string, unknown>
  required?: boolean
  is_allowed_to_fail?: boolean
}

/** The decoded `ATOMIC_REACTOR_PLUGINS` value (SPEC §5.2). */
export interface AtomicReactorPlugins {
  client_version: string
  prebuild_plugins: PluginEntry[]
  buildstep_plugins?: PluginEntry[]
  prepublish_plugins: PluginEntry[]
  postbuild_plugins: PluginEntry[]
  exit_plugins: PluginEntry[]
}

/** A secret the BuildConfig mounts, and the input that asked for it (for the §5.3 existence check). */
export interface SecretUse {
  name: string
  input: string
  mountPath: string
}

export interface BuildPlan {
  settings: Settings
  buildConfigName: string
  /** The base layer BL (null for `FROM scratch`). */
  baseImage: string | null
  /** BL's ImageStreamTag `name:tag` (null when untrackable or scratch). */
  baseImageStreamTag: string | null
  /** Whether the ImageChange trigger is written, and why (for notices and the summary). */
  autorebuild: { enabled: boolean; reason: string }
  /** The Dockerfile's `name` label, its `version`, and the component. */
  labels: { name: string; version: string; component: string; release?: string }
  /** `imagestream` of IM (name label with `/` → `-`). */
  imageStream: string
  /**
   * The ImageStream the run writes after a Complete build, with the tags known before it (`<version>` without `-`,
   * `latest`; the run takes them from the build's `repositories` annotation); null when no registry is pushed to.
   */
  imageStreamObject: ImageStreamObject | null
  /** spec.output.to.name */
  outputImage: string
  buildConfig: BuildConfigObject
  plugins: AtomicReactorPlugins
  secrets: SecretUse[]
  /** Things to tell the user before anything is written (notices of SPEC §2, §4.2, §5.4). */
  notices: string[]
  /** Things to warn about; those about a line of a checkout file carry it (for annotations). */
  warnings: Problem[]
}
