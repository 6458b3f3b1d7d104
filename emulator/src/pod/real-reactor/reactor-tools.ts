/**
 * What running the real atomic-reactor 1.6.26.3 as a build's pod needs on this machine: Debian's python3 with the
 * libraries atomic-reactor and osbs-client import, podman (its Docker-compatible API) with runc, util-linux's
 * unshare, go-md2man (add_help makes the man page with it, in the build pod), and the peers (atomic-reactor, osbs-client, dockerfile-parse 0.0.11, koji's client). Either all of it, or
 * a list saying what to install, one item each.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { which } from '../../images/real/tools.js'
import { defaultPeersRoot, projectRoot } from './peers.js'

/** The Python the peers run on: Debian's, whose dist-packages hold the python3-* packages below. */
export const SYSTEM_PYTHON = '/usr/bin/python3'

export interface ReactorTools {
  python: string
  podman: string
  runc: string
  unshare: string
  /** add_help's man page maker */
  goMd2man: string
  peers: { atomicReactor: string; osbsClient: string; dockerfileParse: string; koji: string }
}

export type ReactorToolsResult = { tools: ReactorTools } | { missing: string[] }

export interface ReactorToolsLookup {
  /** Absolute path of a command, else undefined (default: the PATH, then /usr/sbin, /usr/bin, /sbin, /bin). */
  which?: (command: string) => string | undefined
  /** The Python to use (default /usr/bin/python3); undefined or a missing file: not installed. */
  python?: string
  /** Which of `modules` that Python cannot import (default: asks it, in one run). */
  missingModules?: (python: string, modules: string[]) => string[]
  /** Whether a path exists (default: node:fs existsSync). */
  exists?: (file: string) => boolean
}

/** Commands, each with the Debian package that has it. */
const COMMANDS = [
  { command: 'podman', pkg: 'podman' },
  { command: 'runc', pkg: 'runc' },
  { command: 'unshare', pkg: 'util-linux' },
  { command: 'go-md2man', pkg: 'go-md2man' }
] as const

/** Python modules atomic-reactor, osbs-client and koji import, each with the Debian package that has it. */
export const PYTHON_MODULES: Record<string, string> = {
  docker: 'python3-docker',
  jsonschema: 'python3-jsonschema',
  yaml: 'python3-yaml',
  requests: 'python3-requests',
  six: 'python3-six',
  dateutil: 'python3-dateutil',
  defusedxml: 'python3-defusedxml'
}

/** The peers' folder names (dockerfile-parse 0.0.11 is the one atomic-reactor 1.6 was written against). */
const PEERS = { atomicReactor: 'atomic-reactor', osbsClient: 'osbs-client', dockerfileParse: 'dockerfile-parse-0.0.11', koji: 'koji' } as const

const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin']

function defaultWhich(command: string): string | undefined {
  return which(command, [process.env.PATH ?? '', ...SYSTEM_DIRS].join(path.delimiter))
}

/** Asks `python` once which of `modules` it cannot import. */
export function askMissingModules(python: string, modules: string[]): string[] {
  const script = ['import sys', 'for name in sys.argv[1:]:', '    try:', '        __import__(name)', '    except ImportError:', '        print(name)'].join('\n')
  const run = spawnSync(python, ['-c', script, ...modules], { encoding: 'utf8', timeout: 30_000 })
  if (run.status !== 0) return modules
  return run.stdout.split('\n').filter((name) => modules.includes(name))
}

/** A peer's folder as the messages show it: relative to the project when it is beside it, else absolute. */
function shown(dir: string): string {
  const relative = path.relative(projectRoot, dir)
  return relative.startsWith(`..${path.sep}..${path.sep}`) || path.isAbsolute(relative) ? dir : relative
}

/** The tools and peers, or every one that is missing, each with what to install. */
export function findReactorTools(peersRoot: string = defaultPeersRoot(), lookup: ReactorToolsLookup = {}): ReactorToolsResult {
  const find = lookup.which ?? defaultWhich
  const exists = lookup.exists ?? existsSync
  const python = 'python' in lookup ? lookup.python : SYSTEM_PYTHON
  const missing: string[] = []

  const commands: Record<string, string> = {}
  for (const { command, pkg } of COMMANDS) {
    const found = find(command)
    if (found) commands[command] = found
    else missing.push(`${command} (apt-get install ${pkg})`)
  }

  if (!python || !exists(python)) {
    missing.push(`${python ?? SYSTEM_PYTHON} (apt-get install python3)`)
  } else {
    const modules = Object.keys(PYTHON_MODULES)
    for (const name of (lookup.missingModules ?? askMissingModules)(python, modules)) {
      missing.push(`python3 module ${name} (apt-get install ${PYTHON_MODULES[name]})`)
    }
  }

  const peers: Record<string, string> = {}
  for (const [key, name] of Object.entries(PEERS)) {
    const dir = path.join(peersRoot, name)
    if (exists(dir)) peers[key] = dir
    else missing.push(`${shown(dir)} (the peers; see .ci/get-peers)`)
  }

  if (missing.length) return { missing }
  return {
    tools: {
      python: python!,
      podman: commands['podman']!,
      runc: commands['runc']!,
      unshare: commands['unshare']!,
      goMd2man: commands['go-md2man']!,
      peers: peers as ReactorTools['peers']
    }
  }
}
