/**
 * The build pod's file system view: a private mount namespace (util-linux `unshare --mount`) in which the pod's
 * volumes appear at their mount paths, as the kubelet mounts them into a container: the secrets of the build
 * strategy, the service account's token and CA, and the builder image's own files (osbs-client's build JSON
 * templates at /usr/share/osbs). Nothing is mounted on the host: the mounts end with the pod's process.
 *
 * The pod has its own host name too (a UTS namespace): the pod's name, as in a container of a real pod.
 *
 * Everything under `/var/run/secrets` lives on a tmpfs of the namespace, so a host that is itself a pod (with a
 * service account of its own there) is neither read nor changed.
 */

/** One bind mount: `source` (a directory of the pod on the host) appears at `target` inside the pod. */
export interface PodMount {
  source: string
  target: string
  readOnly?: boolean
}

export const SECRETS_ROOT = '/var/run/secrets'

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** Whether `target` is under the pod's own tmpfs (`/var/run/secrets`). */
export function onSecretsTmpfs(target: string): boolean {
  return target === SECRETS_ROOT || target.startsWith(`${SECRETS_ROOT}/`)
}

/**
 * The shell script run as the namespace's first process: mount, then `exec` the pod's command (its arguments), so
 * that the command is the process the cluster signals and whose exit code it reads.
 */
export function mountScript(mounts: PodMount[], hostname?: string): string {
  const lines = ['set -e', `mount -t tmpfs -o mode=0755 tmpfs ${SECRETS_ROOT}`]
  if (hostname !== undefined) {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(hostname)) throw new Error(`pod name ${JSON.stringify(hostname)} is not a host name`)
    lines.push(`echo ${hostname} > /proc/sys/kernel/hostname`)
  }
  for (const m of mounts) {
    if (!m.target.startsWith('/') || m.target.split('/').includes('..')) throw new Error(`mount path ${JSON.stringify(m.target)} is not an absolute path`)
    if (onSecretsTmpfs(m.target)) lines.push(`mkdir -p ${quote(m.target)}`)
    lines.push(`mount --bind ${quote(m.source)} ${quote(m.target)}`)
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${quote(m.target)}`)
  }
  lines.push('exec "$@"')
  return lines.join('\n')
}

/** argv of the pod: `unshare --mount --uts --propagation private -- sh -c SCRIPT pod COMMAND…`. */
export function podArgv(unshare: string, mounts: PodMount[], command: string[], hostname?: string): string[] {
  return [unshare, '--mount', '--uts', '--propagation', 'private', '--', '/bin/sh', '-c', mountScript(mounts, hostname), 'pod', ...command]
}
