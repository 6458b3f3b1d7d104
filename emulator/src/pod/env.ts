/**
 * The environment of a Custom-strategy build pod, as OpenShift's build controller makes it
 * (origin `pkg/build/controller/strategy/custom.go` CreateBuildPod and `util.go`, 3.x):
 *
 * 1. `BUILD`: the Build serialized as JSON (build.openshift.io/v1);
 * 2. `SOURCE_REPOSITORY` and `SOURCE_URI` (= `spec.source.git.uri`), `SOURCE_CONTEXT_DIR` when set, `SOURCE_REF`
 *    (= `spec.source.git.ref`, the BuildConfig's ref; a BuildRequest's `revision` only goes to `spec.revision`,
 *    it does not change it) when set;
 * 3. `OUTPUT_REGISTRY` and `OUTPUT_IMAGE` from `spec.output.to` (a DockerImage reference split into its registry
 *    and the rest);
 * 4. the strategy's `env` as it is (the build generator has put `OPENSHIFT_CUSTOM_BUILD_BASE_IMAGE` and a
 *    BuildRequest's `env` there);
 * 5. with `exposeDockerSocket`: `DOCKER_SOCKET`, then `PUSH_DOCKERCFG_PATH` (push secret) and
 *    `PULL_DOCKERCFG_PATH` (the strategy's pull secret);
 * 6. `SOURCE_SECRET_PATH` with a source secret.
 *
 * A name can occur twice (the strategy's env may repeat `SOURCE_REF`): the kubelet gives the container the last
 * value, which `podEnvironment` does too.
 */
import type { KubeObject } from '../api/object.js'

export interface EnvVar {
  name: string
  value: string
}

export const DOCKER_SOCKET_PATH = '/var/run/docker.sock'
export const SOURCE_SECRET_MOUNT_PATH = '/var/run/secrets/openshift.io/source'
export const DOCKER_PUSH_SECRET_MOUNT_PATH = '/var/run/secrets/openshift.io/push'
export const DOCKER_PULL_SECRET_MOUNT_PATH = '/var/run/secrets/openshift.io/pull'

/** Registry part of a docker image reference (docker's rule: the first component when it has `.` or `:` or is `localhost`). */
export function splitDockerReference(name: string): { registry: string; rest: string } {
  const slash = name.indexOf('/')
  if (slash < 0) return { registry: '', rest: name }
  const first = name.slice(0, slash)
  if (first.includes('.') || first.includes(':') || first === 'localhost') return { registry: first, rest: name.slice(slash + 1) }
  return { registry: '', rest: name }
}

/**
 * The Build as the controller serializes it into `BUILD` when it makes the pod: still `New`, and without the
 * `openshift.io/build.pod-name` annotation it adds in the same update that makes the build Pending (recorded from
 * a real 3.11 master, __fixtures__/openshift/recorded-3.11-node/).
 */
function buildAsCreated(build: KubeObject): Record<string, unknown> {
  const { 'openshift.io/build.pod-name': _podName, ...annotations } = (build.metadata.annotations ?? {}) as Record<string, string>
  const metadata = { ...build.metadata, annotations: Object.keys(annotations).length ? annotations : undefined }
  return { kind: 'Build', apiVersion: 'build.openshift.io/v1', ...build, metadata, status: { ...(build.status ?? {}), phase: 'New' } }
}

/** The container env list of the build pod, in OpenShift's order. */
export function buildPodEnv(build: KubeObject): EnvVar[] {
  const spec = build.spec ?? {}
  const strategy = spec.strategy?.customStrategy ?? {}
  const env: EnvVar[] = [{ name: 'BUILD', value: JSON.stringify(buildAsCreated(build)) }]
  const git = spec.source?.git
  if (git) {
    env.push({ name: 'SOURCE_REPOSITORY', value: String(git.uri ?? '') }, { name: 'SOURCE_URI', value: String(git.uri ?? '') })
    if (spec.source?.contextDir) env.push({ name: 'SOURCE_CONTEXT_DIR', value: String(spec.source.contextDir) })
    if (git.ref) env.push({ name: 'SOURCE_REF', value: String(git.ref) })
  }
  const to = spec.output?.to
  if (to && to.kind === 'DockerImage' && typeof to.name === 'string') {
    const { registry, rest } = splitDockerReference(to.name)
    env.push({ name: 'OUTPUT_REGISTRY', value: registry }, { name: 'OUTPUT_IMAGE', value: rest })
  }
  for (const e of Array.isArray(strategy.env) ? strategy.env : []) {
    if (e && typeof e.name === 'string') env.push({ name: e.name, value: typeof e.value === 'string' ? e.value : '' })
  }
  if (strategy.exposeDockerSocket) {
    env.push({ name: 'DOCKER_SOCKET', value: DOCKER_SOCKET_PATH })
    if (spec.output?.pushSecret?.name) env.push({ name: 'PUSH_DOCKERCFG_PATH', value: DOCKER_PUSH_SECRET_MOUNT_PATH })
    if (strategy.pullSecret?.name) env.push({ name: 'PULL_DOCKERCFG_PATH', value: DOCKER_PULL_SECRET_MOUNT_PATH })
  }
  if (spec.source?.sourceSecret?.name) env.push({ name: 'SOURCE_SECRET_PATH', value: SOURCE_SECRET_MOUNT_PATH })
  return env
}

/** What the container sees: the env list as a map, the last of a repeated name winning (kubelet). */
export function podEnvironment(build: KubeObject): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of buildPodEnv(build)) out[e.name] = e.value
  return out
}

/** The pod's `ATOMIC_REACTOR_PLUGINS` as atomic-reactor reads it (the last value of the name), or undefined when absent or not JSON. */
export function podPluginConfig(build: KubeObject): Record<string, unknown> | undefined {
  const raw = podEnvironment(build)['ATOMIC_REACTOR_PLUGINS']
  if (raw === undefined) return undefined
  try {
    const config: unknown = JSON.parse(raw)
    return config && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
