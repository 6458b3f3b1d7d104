/**
 * Small real RPM packages, made with Debian's `rpm` (rpmbuild): the local OpenShift's yum repositories serve them,
 * and its real base images have them in their RPM database (what `rpm -qa` in a built image lists).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

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
    const run = spawnSync('rpmbuild', ['--quiet', '-bb', '--define', `_topdir ${top}`, '--define', `_rpmdir ${outDir}`, '--define', '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm', specFile], {
      encoding: 'utf8',
      timeout: 60_000
    })
    if (run.status !== 0) throw new Error(`rpmbuild of ${spec.name} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.trim()}`)
    const file = `${spec.name}-${spec.version}-${spec.release}.noarch.rpm`
    if (!readdirSync(outDir).includes(file)) throw new Error(`rpmbuild of ${spec.name} made no ${file} in ${outDir}`)
    return file
  } finally {
    rmSync(top, { recursive: true, force: true })
  }
}
