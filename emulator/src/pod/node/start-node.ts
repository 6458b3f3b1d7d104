/**
 * The local node, put together: the master's credentials, a serving certificate for the log endpoint (given, or
 * issued by the master's CA), the process pods running the real atomic-reactor 1.6.26.3 (a podman service per pod,
 * as the local OpenShift's `--reactor real`), the agent, and the log endpoint. `close()` ends all of it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { which } from '../../images/real/tools.js'
import { issuedCertificate } from '../../util/self-signed.js'
import { atomicReactorPods } from '../real-reactor/atomic-reactor.js'
import { requireReactorTools } from '../real-reactor/real-reactor.js'
import { portOf, startLogServer } from './container-logs.js'
import { credentialsFromKubeconfig, MasterClient, readPem } from './master-client.js'
import { NodeAgent } from './node-agent.js'

export interface NodeOptions {
  kubeconfig: string
  /** the master's URL and CA file, instead of the kubeconfig's */
  master?: string
  ca?: string
  name: string
  address: string
  port: number
  /** the log endpoint's certificate and key files, or the CA files that issue one (the master's) */
  servingCert?: string
  servingKey?: string
  signerCert?: string
  signerKey?: string
  /** registries podman may use over plain HTTP or without verifying them (`127.0.0.1:5000`) */
  insecureRegistries: string[]
  peersDir?: string
  gracePeriodSeconds?: number
  report(line: string): void
}

export interface RunningNode {
  port: number
  close(): Promise<void>
}

function servingPair(o: NodeOptions): { cert: string; key: string } {
  if (o.servingCert && o.servingKey) return { cert: readPem(o.servingCert, '--serving-cert'), key: readPem(o.servingKey, '--serving-key') }
  if (o.signerCert && o.signerKey) {
    const names = /^[0-9.]+$/.test(o.address) ? { ips: [o.address], dns: [o.name] } : { dns: [o.address, o.name] }
    return issuedCertificate(o.name, names, { cert: readPem(o.signerCert, '--signer-cert'), key: readPem(o.signerKey, '--signer-key') })
  }
  throw new Error(
    'the log endpoint needs a certificate the master trusts: give --signer-cert and --signer-key (the master CA, e.g. master/ca.crt and master/ca.key) or --serving-cert and --serving-key'
  )
}

export async function startNode(o: NodeOptions): Promise<RunningNode> {
  const tools = requireReactorTools(o.peersDir)
  const serving = servingPair(o)
  const creds = await credentialsFromKubeconfig(o.kubeconfig, { server: o.master, ca: o.ca ? readPem(o.ca, '--ca') : undefined })
  const master = new MasterClient(creds)
  // a short path: each pod's podman socket lives under it
  const dir = mkdtempSync(join(tmpdir(), 'lo-node-'))
  // the pods trust the master's CA (osbs-client's requests to the API)
  const bundle = join(dir, 'ca-bundle.crt')
  writeFileSync(bundle, creds.ca)
  const pods = atomicReactorPods({
    tools,
    setpriv: which('setpriv', `${process.env.PATH ?? ''}:/usr/bin:/bin`),
    insecureRegistries: o.insecureRegistries,
    env: { REQUESTS_CA_BUNDLE: bundle },
    dir,
    gracePeriodMs: (o.gracePeriodSeconds ?? 30) * 1000
  })
  let agent: NodeAgent | undefined
  const server = await startLogServer({ address: o.address, port: o.port, ...serving, clientCA: creds.ca, find: (ns, pod, c) => agent?.containerLog(ns, pod, c) })
  // the Node names the port the endpoint really listens on (0: any free one)
  const port = portOf(server)
  agent = new NodeAgent({ name: o.name, address: o.address, port, master, runner: pods, report: o.report })
  const close = async () => {
    await agent?.close()
    await pods.close()
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
    await master.close()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await agent.start()
  } catch (err) {
    await close()
    throw err
  }
  return { port, close }
}
