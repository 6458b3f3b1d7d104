/**
 * The pod a process pod runs (process/process-pod.ts), whichever side it comes from — the one thing the local
 * OpenShift's own kubelet side and the node agent of a real master (node/) do differently:
 *
 * - the local OpenShift runs the pod of one of its Builds: the environment its build controller gives a Custom
 *   build (env.ts), the strategy's secrets and the service account token read from its store (volumes.ts);
 * - the node agent runs a Pod a master bound to it: the container's environment and secret volumes as the master's
 *   build controller and admission plugins wrote them, its Secrets read through the master's API.
 */
import type { KubeObject } from '../api/object.js'
import type { ReactorHost } from '../reactor/host.js'
import { podEnvironment } from './env.js'
import { MissingVolumeError, SERVICE_ACCOUNT_MOUNT_PATH, secretVolumes, type SecretMount, type SecretReader, type VolumeSources } from './volumes.js'

export type { SecretMount, SecretReader }

/** One pod to run as a process. */
export interface PodToRun {
  /** the pod's name (its host name) and namespace */
  name: string
  namespace: string
  /** the container's environment as the kubelet gives it (the last of a repeated name) */
  env: Record<string, string>
  /** its secret volumes, in the pod's order */
  secretMounts: SecretMount[]
  secrets: SecretReader
  /** one line of the container's output, as it comes */
  log(line: string): void
  /** aborted when the pod is to stop (the build cancelled, the pod deleted) */
  signal: AbortSignal
}

/**
 * The pod of a Build of the local OpenShift. Throws MissingVolumeError when the build's service account has no
 * token secret yet (a real pod waits for the service account admission's volume too).
 */
export function podOfBuild(host: ReactorHost, sources: VolumeSources): PodToRun {
  const build = host.build
  const serviceAccount = String(build.spec?.serviceAccount || 'builder')
  const token = sources.serviceAccountToken(serviceAccount)
  if (!token) throw new MissingVolumeError(`service account "${serviceAccount}" has no token secret yet`)
  const secretMounts = [...secretVolumes(build).map((v) => ({ secretName: v.name, mountPath: v.mountPath })), { secretName: token.metadata.name, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }]
  return {
    name: build.metadata.annotations?.['openshift.io/build.pod-name'] ?? `${build.metadata.name}-build`,
    namespace: host.namespace,
    env: podEnvironment(build),
    secretMounts,
    secrets: { secret: (name) => Promise.resolve(name === token.metadata.name ? token : sources.secret(name)) },
    log: (line) => host.log(line),
    signal: host.signal
  }
}

interface EnvEntry {
  name?: unknown
  value?: unknown
}

/** A container's env list as the process sees it: the last value of a repeated name, '' for a name without one. */
export function containerEnvironment(env: EnvEntry[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of env ?? []) {
    // valueFrom (fields, secrets, config maps) is not in a build pod's container
    if (typeof e?.name === 'string') out[e.name] = typeof e.value === 'string' ? e.value : ''
  }
  return out
}

/** The secret volumes the first container of a Pod mounts, in its volumeMounts' order (hostPath and others are left out). */
export function podSecretMounts(pod: KubeObject): SecretMount[] {
  const volumes = new Map<string, string>()
  for (const v of (pod.spec?.volumes ?? []) as { name?: string; secret?: { secretName?: string } }[]) {
    if (v?.name && v.secret?.secretName) volumes.set(v.name, v.secret.secretName)
  }
  const mounts = (pod.spec?.containers?.[0]?.volumeMounts ?? []) as { name?: string; mountPath?: string }[]
  return mounts.flatMap((m) => {
    const secretName = m?.name ? volumes.get(m.name) : undefined
    return secretName && m.mountPath ? [{ secretName, mountPath: m.mountPath }] : []
  })
}

/** A Pod a master bound to this node, as a process pod: its first container's environment and secret volumes. */
export function podOfPodObject(pod: KubeObject, secrets: SecretReader, log: (line: string) => void, signal: AbortSignal): PodToRun {
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace!,
    env: containerEnvironment(pod.spec?.containers?.[0]?.env),
    secretMounts: podSecretMounts(pod),
    secrets,
    log,
    signal
  }
}
