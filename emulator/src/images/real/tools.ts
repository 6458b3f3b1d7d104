/**
 * Which of the local OpenShift's build modes this machine supports. Real builds need Debian's `buildah` (builds
 * and pushes), `docker-registry` (distribution 2.x, the registries) and `busybox-static` (the base images' files).
 */
import { accessSync, closeSync, constants, openSync, readSync } from 'node:fs'
import { delimiter, join } from 'node:path'

export type BuildsMode = 'real' | 'simulated' | 'auto'

/** A tool real builds need and the Debian package that has it. */
interface Tool {
  command: string
  pkg: string
}

export const TOOLS: Tool[] = [
  { command: 'buildah', pkg: 'buildah' },
  { command: 'docker-registry', pkg: 'docker-registry' },
  { command: 'busybox', pkg: 'busybox-static' }
]

/** Absolute path of `command` on PATH, else undefined. */
export function which(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    const file = join(dir, command)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // next
    }
  }
  return undefined
}

/**
 * `busybox` must be statically linked: it runs inside images that have no libc. Debian's `busybox` package (linked
 * dynamically) names an ELF interpreter in its first bytes; `busybox-static`'s does not.
 */
export function isStatic(file: string): boolean {
  const head = Buffer.alloc(4096)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, head, 0, head.length, 0)
  } finally {
    closeSync(fd)
  }
  return !head.includes('/ld-linux') && !head.includes('/ld-musl')
}

export interface ToolPaths {
  buildah: string
  registry: string
  busybox: string
}

export interface BuildsDecision {
  mode: 'real' | 'simulated'
  /** Paths of the tools when real. */
  tools?: ToolPaths
  /** When simulated by `auto`: what to say once (which packages make builds real). */
  notice?: string
}

export const SIMULATED_NOTICE = (missing: string[]) =>
  `local OpenShift: builds are simulated (no images are built or pushed): ${missing.join(', ')} not installed; ` + `apt-get install ${TOOLS.map((t) => t.pkg).join(' ')} makes them real`

/** Decide the build mode; `real` without the tools is an error naming the missing packages. */
export function decideBuilds(mode: BuildsMode, found: (command: string) => string | undefined = which): BuildsDecision {
  if (mode === 'simulated') return { mode: 'simulated' }
  const paths: Record<string, string | undefined> = Object.fromEntries(TOOLS.map((t) => [t.command, found(t.command)]))
  if (paths['busybox'] && found === which && !isStatic(paths['busybox'])) paths['busybox'] = undefined
  const missing = TOOLS.filter((t) => !paths[t.command]).map((t) => t.pkg)
  if (missing.length) {
    if (mode === 'real') {
      throw new Error(`--builds real: ${missing.join(', ')} not installed (apt-get install ${missing.join(' ')}), or use --builds simulated`)
    }
    return { mode: 'simulated', notice: SIMULATED_NOTICE(missing) }
  }
  return { mode: 'real', tools: { buildah: paths['buildah']!, registry: paths['docker-registry']!, busybox: paths['busybox']! } }
}
