/**
 * `reactor: 'real'`: what the local OpenShift starts so that its build pods run the real atomic-reactor — the
 * checks (Python and its modules, podman, runc, util-linux, the peers) and the pods, each with a podman service of
 * its own. `close()` ends them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Reactor } from '../../reactor/host.js'
import type { BuildEngine } from '../../images/real/engine.js'
import { which } from '../../images/real/tools.js'
import type { StoreReader } from '../../storage/store.js'
import { atomicReactorPods } from './atomic-reactor.js'
import { findReactorTools, type ReactorTools } from './reactor-tools.js'

export type ReactorMode = 'emulated' | 'real'

export interface RealReactor {
  readonly reactor: Reactor
  readonly tools: ReactorTools
  close(): Promise<void>
}

/** What this machine lacks for `--reactor real`: the message lists each piece and how to get it. */
export class MissingReactorToolsError extends Error {}

/** The tools, or a MissingReactorToolsError that lists every missing piece and how to get it. */
export function requireReactorTools(peersRoot?: string): ReactorTools {
  const found = findReactorTools(peersRoot)
  if ('tools' in found) return found.tools
  throw new MissingReactorToolsError(`--reactor real needs what is missing here:\n${found.missing.map((m) => `  - ${m}`).join('\n')}\nor use --reactor emulated (the in-process atomic-reactor)`)
}

export async function startRealReactor(options: { tools: ReactorTools; engine: BuildEngine; store: StoreReader; trustedCAs: string[]; gracePeriodMs?: number }): Promise<RealReactor> {
  const { tools, engine } = options
  // a short path: each pod's podman socket lives under it
  const dir = mkdtempSync(join(tmpdir(), 'lo-pods-'))
  // the CAs the pod trusts (requests' REQUESTS_CA_BUNDLE): the registries' and the API's
  const bundle = join(dir, 'ca-bundle.crt')
  writeFileSync(bundle, options.trustedCAs.join('\n'))
  mkdirSync(join(dir, 'pods'))
  const pods = atomicReactorPods({
    tools,
    setpriv: which('setpriv', `${process.env.PATH ?? ''}:/usr/bin:/bin`),
    insecureRegistries: Object.values(engine.hosts),
    env: { REQUESTS_CA_BUNDLE: bundle },
    dir: join(dir, 'pods'),
    store: options.store,
    gracePeriodMs: options.gracePeriodMs
  })
  return {
    reactor: pods.reactor,
    tools,
    async close() {
      await pods.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
