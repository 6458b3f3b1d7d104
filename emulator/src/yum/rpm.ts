/**
 * Small real RPM packages, made with Debian's `rpm` (rpmbuild): the local OpenShift's yum repositories serve them,
 * and its real base images have them in their RPM database (what `rpm -qa` in a built image lists).
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Whether `command` can be run here (spawn's ENOENT: not on the PATH). */
export function canRun(command: string): boolean {
  const run = spawnSync(command, ['--version'], { stdio: 'ignore', timeout: 30_000 })
  return !(run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT')
}

export interface RpmSpec {
  name: string
  version: string
  release: string
  summary: string
  /** files the package holds: absolute path in the image → content */
  files?: Record<string, string>
}

/** The spec file rpmbuild reads for `spec` (noarch; the files written by %install). */
function specText(spec: RpmSpec): string {
  const files = Object.entries(spec.files ?? {})
  const install = files.map(([path, content], i) => {
    const dir = path.replace(/\/[^/]+$/, '')
    return `mkdir -p %{buildroot}${dir}\ncat > %{buildroot}${path} <<'EMULATOR_EOF_${i}'\n${content}\nEMULATOR_EOF_${i}`
  })
  return [
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    `Release: ${spec.release}`,
    `Summary: ${spec.summary}`,
    'License: MIT',
    'BuildArch: noarch',
    '%description',
    spec.summary,
    '%install',
    ...install,
    '%files',
    ...files.map(([path]) => path),
    ''
  ].join('\n')
}

/** Build `spec` into `outDir` with rpmbuild; returns the package's file name. */
export function buildRpm(spec: RpmSpec, outDir: string): string {
  const top = mkdtempSync(join(outDir, '.rpmbuild-'))
  try {
    const specFile = join(top, `${spec.name}.spec`)
    writeFileSync(specFile, specText(spec))
    const run = spawnSync(
      'rpmbuild',
      ['--quiet', '-bb', '--define', `_topdir ${top}`, '--define', `_rpmdir ${outDir}`, '--define', '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm', specFile],
      {
        encoding: 'utf8',
        timeout: 60_000
      }
    )
    if (run.status !== 0) throw new Error(`rpmbuild of ${spec.name} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.trim()}`)
    const file = `${spec.name}-${spec.version}-${spec.release}.noarch.rpm`
    if (!readdirSync(outDir).includes(file)) throw new Error(`rpmbuild of ${spec.name} made no ${file} in ${outDir}`)
    return file
  } finally {
    rmSync(top, { recursive: true, force: true })
  }
}

/** The libraries a program loads (ldd's paths, the ELF interpreter included). */
function sharedLibraries(program: string): string[] {
  const run = spawnSync('ldd', [program], { encoding: 'utf8', timeout: 30_000 })
  if (run.status !== 0) throw new Error(`ldd ${program} failed: ${run.stderr.trim()}`)
  return [...run.stdout.matchAll(/(\/\S+)/g)].map((m) => m[1]!)
}

/** What `rpm -q` says of an installed package: the fields Koji records of an RPM (rpminfo). */
export interface RpmHeader {
  name: string
  version: string
  release: string
  epoch: number | null
  arch: string
  /** SIGMD5: Koji's payloadhash, all_rpm_packages' sigmd5 */
  payloadhash: string
  size: number
  buildtime: number
}

const HEADER_QUERY = '%{NAME};%{VERSION};%{RELEASE};%{EPOCH};%{ARCH};%{SIGMD5};%{SIZE};%{BUILDTIME}\\n'

/** One `HEADER_QUERY` line as an RpmHeader (`(none)` is no epoch). */
function parseHeader(line: string): RpmHeader {
  const [name = '', version = '', release = '', epoch = '', arch = '', payloadhash = '', size = '0', buildtime = '0'] = line.split(';')
  return { name, version, release, epoch: /^\d+$/.test(epoch) ? Number(epoch) : null, arch, payloadhash, size: Number(size), buildtime: Number(buildtime) }
}

/**
 * Put this machine's `rpm` (Debian's package) into a root file system, with the libraries it loads, its rpmrc and
 * macros (the database in /var/lib/rpm, as Fedora has it), and an RPM database holding `packages` (made with
 * rpmbuild, recorded with `rpm --justdb`): `rpm -qa` in an image made from it lists them. Replaces `bin/rpm`.
 * Returns the packages' headers as the database holds them.
 */
export function addRpmDatabase(rootfs: string, packages: RpmSpec[]): RpmHeader[] {
  const rpm = '/usr/bin/rpm'
  rmSync(join(rootfs, 'bin', 'rpm'), { force: true })
  copyFileSync(rpm, join(rootfs, 'bin', 'rpm'))
  for (const lib of sharedLibraries(rpm)) {
    mkdirSync(join(rootfs, dirname(lib)), { recursive: true })
    copyFileSync(realpathSync(lib), join(rootfs, lib))
  }
  mkdirSync(join(rootfs, 'usr', 'lib', 'rpm'), { recursive: true })
  for (const file of ['rpmrc', 'macros']) copyFileSync(join('/usr/lib/rpm', file), join(rootfs, 'usr', 'lib', 'rpm', file))
  mkdirSync(join(rootfs, 'etc', 'rpm'), { recursive: true })
  writeFileSync(join(rootfs, 'etc', 'rpm', 'macros'), '%_dbpath /var/lib/rpm\n')
  const packagesDir = mkdtempSync(join(rootfs, '..', 'rpms-'))
  try {
    const files = packages.map((p) => join(packagesDir, buildRpm(p, packagesDir)))
    const db = ['--root', rootfs, '--dbpath', '/var/lib/rpm']
    for (const args of [['--initdb'], ['-i', '--nodeps', '--justdb', ...files]]) {
      const run = spawnSync(rpm, [...db, ...args], { encoding: 'utf8', timeout: 60_000 })
      if (run.status !== 0) throw new Error(`rpm ${args[0]} in ${rootfs} failed: ${run.stderr.trim()}`)
    }
    const query = spawnSync(rpm, [...db, '-qa', '--qf', HEADER_QUERY], { encoding: 'utf8', timeout: 60_000 })
    if (query.status !== 0) throw new Error(`rpm -qa in ${rootfs} failed: ${query.stderr.trim()}`)
    return query.stdout.split('\n').filter(Boolean).map(parseHeader)
  } finally {
    rmSync(packagesDir, { recursive: true, force: true })
  }
}
