/**
 * Tests that run the real atomic-reactor through podman ask here: `describe` when the machine has everything
 * (emulator/src/pod/real-reactor/reactor-tools.ts), else a skipped block that says what to install, or, in CI (`CI=true`), one
 * failing test that says it: CI must never pass by skipping what it was meant to check.
 *
 * The podman service runs as root; a run of the tests by another user skips these, in CI too (GitHub's runners run
 * the tests as a user of their own), and says so.
 */
import { describe, test } from '@jest/globals'
import { findReactorTools, type ReactorTools } from '../emulator/src/pod/real-reactor/reactor-tools.js'
import { peersRoot } from './peers.js'

/** What a skipped block's body is given: it only collects the tests, which do not run. */
const PLACEHOLDER: ReactorTools = { python: '', podman: '', runc: '', unshare: '', goMd2man: '', peers: { atomicReactor: '', osbsClient: '', dockerfileParse: '', koji: '' } }

export function describeWithReactorTools(title: string, body: (tools: ReactorTools) => void): void {
  if (process.getuid?.() !== 0) {
    console.warn(`skipped: ${title} (needs root: the podman service runs as root)`)
    describe.skip(`${title} [skipped: needs root]`, () => body(PLACEHOLDER))
    return
  }
  const found = findReactorTools(peersRoot)
  if ('tools' in found) {
    describe(title, () => body(found.tools))
    return
  }
  const what = `needs ${found.missing.join('; ')}`
  if (process.env.CI === 'true') {
    describe(title, () => {
      test(`atomic-reactor's tools are present (${what})`, () => {
        throw new Error(`${title} ${what}; in CI everything must be present (.ci/packages, .ci/get-peers)`)
      })
    })
    return
  }
  console.warn(`skipped: ${title} (${what})`)
  describe.skip(`${title} [skipped: ${what}]`, () => body(PLACEHOLDER))
}
