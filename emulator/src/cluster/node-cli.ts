/**
 * `npm run node -- --kubeconfig <file> [--master <url>] [--ca <file>] [--name local-node] [--address 127.0.0.1]
 * [--port 10250] (--signer-cert <ca.crt> --signer-key <ca.key> | --serving-cert <crt> --serving-key <key>)
 * [--insecure-registry <host:port>]... [--peers <dir>] [--grace-period-seconds <s>]`
 *
 * Serves a real OpenShift 3.11 master as its node (pod/node/): registers the Node, runs the build pods the
 * scheduler binds to it with the real atomic-reactor 1.6.26.3, reports their status, serves their logs. The
 * kubeconfig's account must be able to register nodes and read the pods' secrets (a cluster admin's, e.g. the
 * master's admin.kubeconfig). Prints what it does, one line each, on stderr; runs until SIGTERM or SIGINT.
 */
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'
import type { NodeOptions } from '../pod/node/start-node.js'
import { startNode } from '../pod/node/start-node.js'

const USAGE =
  'usage: npm run node -- --kubeconfig <file> [--master <url>] [--ca <file>] [--name <node>] [--address <ip>] [--port <n>]\n' +
  '                       (--signer-cert <ca.crt> --signer-key <ca.key> | --serving-cert <crt> --serving-key <key>)\n' +
  '                       [--insecure-registry <host:port>]... [--peers <dir>] [--grace-period-seconds <s>]'

/** The command line as NodeOptions; a wrong flag or value is an Error with the usage. */
export function parseNodeArgs(argv: string[], report: (line: string) => void = () => undefined): NodeOptions {
  const str = { type: 'string' } as const
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        kubeconfig: str,
        master: str,
        ca: str,
        name: str,
        address: str,
        port: str,
        'signer-cert': str,
        'signer-key': str,
        'serving-cert': str,
        'serving-key': str,
        'insecure-registry': { type: 'string', multiple: true },
        peers: str,
        'grace-period-seconds': str
      },
      strict: true
    }))
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`)
  }
  if (!values.kubeconfig) throw new Error(`--kubeconfig is required (an account that may register nodes, e.g. the master's admin.kubeconfig)\n${USAGE}`)
  const int = (name: string, v: string | undefined, fallback: number, max = 65535): number => {
    if (v === undefined) return fallback
    const n = Number(v)
    if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`--${name}: not an integer from 0 to ${max}: ${v}\n${USAGE}`)
    return n
  }
  const name = values.name ?? 'local-node'
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new Error(`--name: ${JSON.stringify(name)} is not a node name (lower case letters, digits, - and .)\n${USAGE}`)
  return {
    kubeconfig: values.kubeconfig,
    master: values.master,
    ca: values.ca,
    name,
    address: values.address ?? '127.0.0.1',
    port: int('port', values.port, 10250),
    signerCert: values['signer-cert'],
    signerKey: values['signer-key'],
    servingCert: values['serving-cert'],
    servingKey: values['serving-key'],
    insecureRegistries: values['insecure-registry'] ?? [],
    peersDir: values.peers,
    gracePeriodSeconds: int('grace-period-seconds', values['grace-period-seconds'], 30, 3600),
    report
  }
}

async function main(): Promise<void> {
  const report = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`)
  let opts: NodeOptions
  try {
    opts = parseNodeArgs(process.argv.slice(2), report)
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`)
    process.exit(2)
  }
  const node = await startNode(opts)
  const stop = () => {
    report('stopping')
    node.close().then(
      () => process.exit(0),
      (err: Error) => {
        report(`stopping: ${err.message}`)
        process.exit(1)
      }
    )
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main().catch((err: Error) => {
    process.stderr.write(`local node: ${err.message}\n`)
    process.exit(1)
  })
}
