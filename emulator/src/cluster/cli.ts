/**
 * `npm run cluster -- --port <n|0> [--token <t>] [--namespace <ns>] [--state-dir <dir>] [--builds real|simulated|auto] [--reactor emulated|real]
 * [--registry <name>]… [--source-registry <name>] [--scheduled-import-interval <seconds>] [--koji-target <name>]…`
 *
 * Starts the local OpenShift, prints one JSON line
 * `{"server": "...", "token": "...", "namespace": "...", "kubeconfig": "...", "builds": "real", "reactor": "emulated",
 * "registries": {"registry": "127.0.0.1:PORT"}, "registryCA": "...", "kojiHub": "...", "kojiRoot": "...", "smtpHost": "127.0.0.1:PORT",
 * "yumRepo": "http://…/local.repo"} when ready (`registryCA`, with real builds: the file of the certificate the registries serve over TLS; `smtpHost`,
 * the mail server sendmail sends to; `yumRepo`, a yum repository's `.repo` URL), and runs until SIGTERM or SIGINT (exit 0). When `auto`
 * finds no buildah / docker-registry / busybox-static, stderr says once that builds are simulated and which packages
 * make them real. `--reactor real` runs the real atomic-reactor 1.6.26.3 (from the peers) in each build pod, through
 * podman; when something it needs is missing, the start fails with the list of what to install.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Cluster, ClusterOptions } from './options.js'
import { startCluster } from './start.js'
import { MissingReactorToolsError } from '../pod/real-reactor/real-reactor.js'

const USAGE =
  'usage: npm run cluster -- --port <n|0> [--token <t>] [--namespace <ns>] [--state-dir <dir>] [--log-wait-seconds <s>] [--log-pace <ms>] [--tls]\n' +
  '                          [--builds real|simulated|auto] [--reactor emulated|real] [--registry <name>]... [--source-registry <name>]\n' +
  '                          [--scheduled-import-interval <seconds>] [--koji-target <name>]...'

/**
 * The command line as ClusterOptions; a wrong flag or value is an error with the usage.
 * Why this function is long: one case per flag, each two or three lines of reading and checking its value.
 */
export function parseArgs(argv: string[]): ClusterOptions {
  const opts: ClusterOptions = { port: 0, builds: 'auto' }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(0, eq) : arg
    const value = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i]
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`)
      return v
    }
    const int = (v: string): number => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: not a non-negative integer: ${v}\n${USAGE}`)
      return n
    }
    switch (name) {
      case '--port': {
        const p = int(value())
        if (p > 65535) throw new Error(`--port: out of range: ${p}`)
        opts.port = p
        break
      }
      case '--token':
        opts.token = value()
        break
      case '--namespace':
        opts.namespace = value()
        break
      case '--state-dir':
        opts.stateDir = value()
        break
      case '--log-wait-seconds':
        opts.logWaitSeconds = Number(value())
        break
      case '--log-pace':
        opts.logPace = int(value())
        break
      case '--builds': {
        const v = value()
        if (v !== 'real' && v !== 'simulated' && v !== 'auto') throw new Error(`--builds: ${v} is not real, simulated or auto\n${USAGE}`)
        opts.builds = v
        break
      }
      case '--reactor': {
        const v = value()
        if (v !== 'emulated' && v !== 'real') throw new Error(`--reactor: ${v} is not emulated or real\n${USAGE}`)
        opts.reactor = v
        break
      }
      case '--registry': {
        const v = value()
        if (!/^[a-z0-9][a-z0-9-]*$/.test(v)) throw new Error(`--registry: ${JSON.stringify(v)} is not a name (lower case letters, digits, -)\n${USAGE}`)
        opts.registryNames = [...(opts.registryNames ?? []), v]
        break
      }
      case '--koji-target':
        opts.kojiTargets = [...(opts.kojiTargets ?? []), value()]
        break
      case '--source-registry':
        opts.sourceRegistry = value()
        break
      case '--scheduled-import-interval': {
        const s = int(value())
        if (s < 1) throw new Error(`--scheduled-import-interval: ${s} is not a number of seconds from 1 (OpenShift's default is 900)\n${USAGE}`)
        opts.scheduledImportIntervalSeconds = s
        break
      }
      case '--tls':
        opts.tls = true
        break
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`)
        process.exit(0)
        break
      default:
        throw new Error(`unknown argument ${arg}\n${USAGE}`)
    }
  }
  return opts
}

async function main(): Promise<void> {
  let opts: ClusterOptions
  try {
    opts = parseArgs(process.argv.slice(2))
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`)
    process.exit(2)
  }
  // Handlers first: whoever reads the JSON line may signal at once, and a signal during start-up must stop the
  // cluster cleanly too (objects saved to the state dir), not kill the process.
  let cluster: Cluster | undefined
  let signalled = false
  let closing = false
  const stop = () => {
    signalled = true
    if (!cluster || closing) return
    closing = true
    cluster.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`${(err as Error).stack ?? err}\n`)
        process.exit(0)
      }
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  cluster = await startCluster(opts)
  if (signalled) return stop()
  if (cluster.buildsNotice) process.stderr.write(`${cluster.buildsNotice}\n`)
  const ready = {
    server: cluster.url,
    token: cluster.token,
    namespace: cluster.namespace,
    kubeconfig: cluster.kubeconfigPath,
    builds: cluster.builds,
    reactor: cluster.reactor,
    registries: cluster.registryHosts,
    ...(cluster.registryCAFile ? { registryCA: cluster.registryCAFile } : {}),
    ...(cluster.kojiHub ? { kojiHub: cluster.kojiHub, kojiRoot: cluster.kojiRoot } : {}),
    // sendmail's smtp_host and a `.repo` URL for add_yum_repo_by_url
    ...(cluster.smtpHost ? { smtpHost: cluster.smtpHost } : {}),
    ...(cluster.yum ? { yumRepo: cluster.yum.repo('local') } : {})
  }
  process.stdout.write(`${JSON.stringify(ready)}\n`)
}

// Run only as the program (`node --import tsx emulator/src/cluster/cli.ts`), not when a test imports parseArgs.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    // what the machine lacks is said plainly; anything else is a defect, with its stack
    if (err instanceof MissingReactorToolsError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(2)
    }
    process.stderr.write(`${(err as Error).stack ?? err}\n`)
    process.exit(1)
  })
}
