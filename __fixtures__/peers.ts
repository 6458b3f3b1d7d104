/**
 * Real software that exists only beside the repository (`../shared/peers/NAME`, see that folder's README):
 * osbs-client, atomic-reactor, dockerfile-parse, koji. A test that needs one asks here.
 *
 * Where a peer is missing the test says so by name and is skipped, except in CI (`CI=true`, as `.ci/run` runs),
 * where a missing peer fails the run: CI must never pass by skipping what it was meant to check.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from '@jest/globals'
import { defaultPeersRoot, projectRoot, PYTHON_SHIMS } from '../emulator/src/pod/real-reactor/peers.js'

/** The project's root; the Python start-up shims to put first on PYTHONPATH (`emulator/python`). */
export { projectRoot, PYTHON_SHIMS }

/** The folder holding the peers: `PEERS_DIR`, else `../shared/peers` beside the project. */
export const peersRoot = defaultPeersRoot()

/** The absolute path of peer `name` (e.g. 'osbs-client'), or undefined when it is not there. */
export function peerPath(name: string): string | undefined {
  const dir = path.join(peersRoot, name)
  return existsSync(dir) ? dir : undefined
}

/**
 * `describe` when every peer named is present; otherwise a skipped block that names what is missing, or, in CI,
 * one failing test that says which peer is missing and where it was looked for.
 */
export function describeWithPeers(peers: string[], title: string, body: (paths: Record<string, string>) => void): void {
  const missing = peers.filter((p) => peerPath(p) === undefined)
  if (missing.length === 0) {
    const paths = Object.fromEntries(peers.map((p) => [p, peerPath(p) as string]))
    describe(title, () => body(paths))
    return
  }
  const what = `needs the peer${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in ${peersRoot}`
  if (process.env.CI === 'true') {
    describe(title, () => {
      test(`peers are present (${what})`, () => {
        throw new Error(`${title} ${what}; in CI every peer must be present (set PEERS_DIR or lay out ../shared/peers)`)
      })
    })
    return
  }

  console.warn(`skipped: ${title} (${what})`)
  describe.skip(`${title} [skipped: ${what}]`, () => body({}))
}
