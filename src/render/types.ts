/** The shapes of what the action writes to the cluster, as rendered (render/*) and sent (flow/*). */

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

/** A Build object as posted directly to `build.openshift.io/v1` (scratch and isolated builds). */
export interface BuildObject {
  apiVersion: 'build.openshift.io/v1'
  kind: 'Build'
  metadata: {
    name: string
    namespace?: string
    labels: Record<string, string>
    annotations?: Record<string, string>
  }
  spec: Record<string, any>
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
