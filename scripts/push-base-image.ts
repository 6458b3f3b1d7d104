/**
 * `npx tsx scripts/push-base-image.ts <registry>/<repository>:<tag> [version]`
 *
 * Push a base image as the local OpenShift makes its real ones (emulator/src/images/real/base-images.ts: busybox
 * with its applets, `/etc/base-image` naming the version, and where Debian's rpm is installed `/bin/rpm` with an
 * RPM database, for all_rpm_packages) to a registry over plain HTTP, e.g. the registry of a real master's scenarios
 * (README, "Against a real OpenShift 3.11 master"). A new version is a new base layer: pushing version 2 over version 1
 * is "a new base image" for the autorebuild chain. Needs buildah and busybox-static.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { baseImagePackage, writeRootfs } from '../emulator/src/images/real/base-images.js'
import { which } from '../emulator/src/images/real/tools.js'
import { addRpmDatabase, canRun } from '../emulator/src/yum/rpm.js'

const [ref, versionArg = '1'] = process.argv.slice(2)
const match = ref ? /^([^/]+)\/(.+)$/.exec(ref) : null
const version = Number(versionArg)
if (!match || !Number.isInteger(version) || version < 1) {
  process.stderr.write('usage: npx tsx scripts/push-base-image.ts <registry>/<repository>:<tag> [version, from 1]\n')
  process.exit(2)
}
const repositoryTag = match[2]!
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => canRun(p)) ?? which('busybox')
const buildah = which('buildah')
if (!busybox || !buildah) {
  process.stderr.write('needs busybox (apt-get install busybox-static) and buildah (apt-get install buildah)\n')
  process.exit(1)
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'base-image-'))
const b = (...args: string[]) =>
  execFileSync(buildah, ['--root', path.join(tmp, 'root'), '--runroot', path.join(tmp, 'run'), '--storage-driver', 'vfs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, BUILDAH_ISOLATION: 'chroot', BUILDAH_FORMAT: 'docker' }
  }).trim()
try {
  const rootfs = path.join(tmp, 'rootfs')
  writeRootfs(rootfs, busybox, { 'etc/base-image': `${repositoryTag} version ${version}\n` })
  if (canRun('rpm') && canRun('rpmbuild')) addRpmDatabase(rootfs, [baseImagePackage(repositoryTag, version)])
  const ctr = b('from', 'scratch')
  b('copy', ctr, `${rootfs}/.`, '/')
  b('config', '--cmd', '/bin/sh', '--label', `emulator.base-image=${repositoryTag}`, '--label', `emulator.version=${version}`, ctr)
  b('commit', '-q', ctr, 'localhost/base-image')
  b('push', '-q', '--tls-verify=false', 'localhost/base-image', `docker://${ref}`)
  process.stdout.write(`pushed ${ref} (version ${version})\n`)
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
