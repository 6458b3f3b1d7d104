/**
 * Real base images made on this machine: no registry outside it can be reached, so `fedora:latest` (or any name
 * a test or the demo publishes) is a small root file system of Debian's statically linked busybox (`sh`, `echo`,
 * `seq`, `cat`, … as links to it) plus `/etc/base-image` naming the version, committed with buildah. Where Debian's
 * `rpm` is installed, each also has `/bin/rpm` and an RPM database listing one package of its own
 * (`<repository>-release`, version = the base image's version), as a Fedora image has rpm and its database. Each version has
 * its own layer, so an image built on version 2 has a base layer different from one built on version 1.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { addRpmDatabase, canRun, type RpmHeader } from '../../yum/rpm.js'
import type { Buildah } from './buildah.js'

/** Whether base images get rpm and an RPM database (Debian's `rpm` here: rpm and rpmbuild), asked once. */
let rpmTools: boolean | undefined
const haveRpm = () => (rpmTools ??= canRun('rpm') && canRun('rpmbuild') && canRun('ldd'))

/** The applets `busybox --list` names (sh, echo, seq, cat, ls, …). */
export function busyboxApplets(busybox: string): string[] {
  return execFileSync(busybox, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => /^[a-z0-9_.[-]+$/i.test(s) && s !== 'busybox')
}

/** Write the root file system of a base image into `dir`. */
export function writeRootfs(dir: string, busybox: string, content: Record<string, string>): void {
  for (const d of ['bin', 'etc', 'tmp', 'root', 'var']) mkdirSync(join(dir, d), { recursive: true })
  copyFileSync(busybox, join(dir, 'bin', 'busybox'))
  for (const applet of busyboxApplets(busybox)) symlinkSync('busybox', join(dir, 'bin', applet))
  writeFileSync(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
  writeFileSync(join(dir, 'etc', 'group'), 'root:x:0:\n')
  for (const [file, text] of Object.entries(content)) {
    mkdirSync(join(dir, file, '..'), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
}

/**
 * Commit version `version` of base image `name` (`<registry>/<repository>:<tag>`) into buildah's storage; returns
 * its image id and the RPMs its database holds (none without Debian's rpm). Its labels: `emulator.base-image` (the
 * repository:tag) and `emulator.version`.
 */
export async function commitBaseImage(buildah: Buildah, busybox: string, name: string, repositoryTag: string, version: number): Promise<{ id: string; rpms: RpmHeader[] }> {
  const dir = mkdtempSync(join(buildah.dir, 'rootfs-'))
  try {
    writeRootfs(dir, busybox, { 'etc/base-image': `${repositoryTag} version ${version}\n` })
    // as a Fedora image: rpm and its database, for all_rpm_packages (`rpm -qa` in the built image)
    const rpms = haveRpm() ? addRpmDatabase(dir, [baseImagePackage(repositoryTag, version)]) : []
    return { id: await buildah.commitRootfs(dir, name, { 'emulator.base-image': repositoryTag, 'emulator.version': String(version) }), rpms }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The package a base image's RPM database lists: `<last part of the repository>-release`, version `version`. */
export function baseImagePackage(repositoryTag: string, version: number) {
  const name = repositoryTag
    .replace(/:.*$/, '')
    .split('/')
    .pop()!
    .replace(/[^A-Za-z0-9_.+-]/g, '-')
  return { name: `${name}-release`, version: String(version), release: '1', summary: `${repositoryTag}, version ${version}, of the local OpenShift` }
}
