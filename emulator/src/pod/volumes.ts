/**
 * The volumes of a Custom-strategy build pod, as OpenShift's build controller asks the kubelet for them
 * (origin `pkg/build/controller/strategy/custom.go`, `util.go` setupSecrets / mountSecretVolume):
 *
 * - with `exposeDockerSocket`, the push secret at /var/run/secrets/openshift.io/push and the pull secret at
 *   /var/run/secrets/openshift.io/pull;
 * - a source secret at /var/run/secrets/openshift.io/source (3.11 `setupSourceSecrets`; `SOURCE_SECRET_PATH` names
 *   it, env.ts);
 * - each `spec.strategy.customStrategy.secrets[]` secret at its `mountPath`, one file per data key;
 * - the build's service account token, its namespace and the cluster CA at
 *   /var/run/secrets/kubernetes.io/serviceaccount (the service account admission plugin's volume).
 *
 * The files are written under the pod's own directory; the mount namespace (mount-namespace.ts) shows them at
 * their paths. A secret that does not exist fails the pod as the kubelet does (`secret "x" not found`).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DOCKER_PULL_SECRET_MOUNT_PATH, DOCKER_PUSH_SECRET_MOUNT_PATH, SOURCE_SECRET_MOUNT_PATH } from './env.js'
import type { KubeObject, StoreReader } from '../storage/store.js'
import type { PodMount } from './process/mount-namespace.js'

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount'

/** A secret volume of the pod: the Secret and where the container sees its files. */
export interface SecretMount {
  secretName: string
  mountPath: string
}

/** Where the pod's Secrets are read (its namespace's): the store, or a master's API. */
export interface SecretReader {
  secret(name: string): Promise<KubeObject | undefined>
}

/** What the pod's volumes are read from. */
export interface VolumeSources {
  /** a Secret of the build's namespace, or undefined */
  secret(name: string): KubeObject | undefined
  /** the token secret of a service account (`kubernetes.io/service-account-token`), or undefined */
  serviceAccountToken(serviceAccount: string): KubeObject | undefined
}

export class MissingVolumeError extends Error {}

/** The volumes' sources in the cluster's store: the namespace's Secrets, and the token secrets the token controller made. */
export function volumesFromStore(store: StoreReader, namespace: string): VolumeSources {
  return {
    secret: (name) => store.get('secrets', namespace, name),
    serviceAccountToken: (serviceAccount) =>
      store.list('secrets', namespace).find((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations?.['kubernetes.io/service-account.name'] === serviceAccount)
  }
}

/** The secrets the pod mounts: name → mount path, in the controller's order (setupDockerSecrets, setupSourceSecrets, setupAdditionalSecrets). */
export function secretVolumes(build: KubeObject): { name: string; mountPath: string }[] {
  const spec = build.spec ?? {}
  const custom = spec.strategy?.customStrategy ?? {}
  const out: { name: string; mountPath: string }[] = []
  if (custom.exposeDockerSocket) {
    if (spec.output?.pushSecret?.name) out.push({ name: spec.output.pushSecret.name, mountPath: DOCKER_PUSH_SECRET_MOUNT_PATH })
    if (custom.pullSecret?.name) out.push({ name: custom.pullSecret.name, mountPath: DOCKER_PULL_SECRET_MOUNT_PATH })
  }
  if (spec.source?.sourceSecret?.name) out.push({ name: spec.source.sourceSecret.name, mountPath: SOURCE_SECRET_MOUNT_PATH })
  for (const s of Array.isArray(custom.secrets) ? custom.secrets : []) {
    const name = s?.secretSource?.name
    if (typeof name === 'string' && typeof s.mountPath === 'string') out.push({ name, mountPath: s.mountPath })
  }
  return out
}

/**
 * The source secret's volume alone, written under `dir` (for the in-process reactor, whose `git` reads it: the
 * container's path and where it is on the node); undefined when the build has none. Throws MissingVolumeError for a
 * missing secret, as the kubelet fails such a pod.
 */
export function prepareSourceVolume(build: KubeObject, dir: string, sources: VolumeSources): PodMount | undefined {
  const name = build.spec?.source?.sourceSecret?.name
  if (typeof name !== 'string' || name === '') return undefined
  const secret = sources.secret(name)
  if (!secret) throw new MissingVolumeError(`MountVolume.SetUp failed for volume "${name}": secret "${name}" not found`)
  const target = join(dir, 'volumes', 'source')
  writeSecret(target, secret)
  return { source: target, target: SOURCE_SECRET_MOUNT_PATH, readOnly: true }
}

/** Write one secret's data (base64) and stringData as files of `dir`. */
function writeSecret(dir: string, secret: KubeObject): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const data = (secret.data ?? {}) as Record<string, string>
  for (const [key, value] of Object.entries(data)) writeFileSync(join(dir, key), Buffer.from(String(value), 'base64'), { mode: 0o600 })
}

/**
 * Write the pod's secret volumes under `podDir`, each Secret read once through `reader`; the mounts that show them.
 * Throws MissingVolumeError for a Secret that is not there, as the kubelet fails such a pod.
 */
export async function writeSecretMounts(mounts: SecretMount[], podDir: string, reader: SecretReader): Promise<PodMount[]> {
  const out: PodMount[] = []
  for (const [i, m] of mounts.entries()) {
    const secret = await reader.secret(m.secretName)
    if (!secret) throw new MissingVolumeError(`MountVolume.SetUp failed for volume "${m.secretName}": secret "${m.secretName}" not found`)
    const dir = join(podDir, 'volumes', `secret-${i}`)
    writeSecret(dir, secret)
    out.push({ source: dir, target: m.mountPath, readOnly: true })
  }
  return out
}
