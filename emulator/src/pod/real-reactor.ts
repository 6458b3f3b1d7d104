/**
 * `reactor: 'real'`: what the local OpenShift starts so that its build pods run the real atomic-reactor — the
 * checks (Python and its modules, podman, runc, util-linux, the peers), podman's service for this cluster, and the
 * pods. Stopped in the reverse order by `close()`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Reactor } from '../controller.js'
import type { BuildEngine } from '../real/engine.js'
import { which } from '../real/tools.js'
import type { StoreReader } from '../store.js'
import { atomicReactorPods } from './atomic-reactor.js'
import { PodmanService } from './podman-service.js'
import { findReactorTools, type ReactorTools } from './reactor-tools.js'

export type ReactorMode = 'emulated' | 'real'

export interface RealReactor {
  readonly reactor: Reactor
  readonly tools: ReactorTools
  close(): Promise<void>
}

/** The tools, or an error that lists every missing piece and how to get it. */
export function requireReactorTools(): ReactorTools {
  const found = findReactorTools()
  if ('tools' in found) return found.tools
  throw new Error(`--reactor real needs what is missing here:\n${found.missing.map((m) => `  - ${m}`).join('\n')}\nor use --reactor emulated (the in-process atomic-reactor)`)
}

export async function startRealReactor(options: { tools: ReactorTools; engine: BuildEngine; store: StoreReader; trustedCAs: string[]; gracePeriodMs?: number }): Promise<RealReactor> {
  const { tools, engine } = options
  // a short path: the socket's path must fit in a unix socket address
  const dir = mkdtempSync(join(tmpdir(), 'lo-pods-'))
  let podman: PodmanService | undefined
  try {
    podman = await PodmanService.start({ dir: join(dir, 'p'), insecureRegistries: Object.values(engine.hosts), podman: tools.podman, runc: tools.runc })
    // the CAs the pod trusts (requests' REQUESTS_CA_BUNDLE): the registries' and the API's
    const bundle = join(dir, 'ca-bundle.crt')
    writeFileSync(bundle, options.trustedCAs.join('\n'))
    mkdirSync(join(dir, 'pods'))
    const pods = atomicReactorPods({
      tools,
      setpriv: which('setpriv', `${process.env.PATH ?? ''}:/usr/bin:/bin`),
      dockerConnection: podman.socket,
      env: { REQUESTS_CA_BUNDLE: bundle },
      dir: join(dir, 'pods'),
      store: options.store,
      gracePeriodMs: options.gracePeriodMs
    })
    const service = podman
    return {
      reactor: pods.reactor,
      tools,
      async close() {
        await pods.close()
        await service.stop()
        await rm(dir, { recursive: true, force: true })
      }
    }
  } catch (err) {
    await podman?.stop()
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}
