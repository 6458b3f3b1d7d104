/**
 * The server conformance suite: each request sequence recorded from a real OpenShift Origin 3.11 master
 * (__fixtures__/openshift/recorded-3.11-conformance/, `npm run record:server-conformance`) is run against the local
 * OpenShift, and the answers are compared: any difference fails, unless __fixtures__/server-conformance/differences.ts
 * accepts it with its reason.
 *
 * The local OpenShift runs as the recording master did: no node (build pods stay Pending), the images to import in
 * a registry (here its in-memory one), an account with the Custom-strategy role (the cluster's user) and one
 * without (the namespace's `default` service account).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { openshiftData, readOpenShiftJson } from '../__fixtures__/openshift-data.js'
import { ACCEPTED } from '../__fixtures__/server-conformance/differences.js'
import { compare, Session, unaccepted, type Difference, type Recording, type Target } from '../__fixtures__/server-conformance/harness.js'
import { SEQUENCES } from '../__fixtures__/server-conformance/sequences.js'
import { startCluster, type Cluster } from '../emulator/src/index.js'

/** A registry host the local OpenShift holds in memory (never looked up on the network). */
const REGISTRY = 'registry.conformance.invalid:5000'
const recorded = readdirSync(openshiftData('recorded-3.11-conformance'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => readOpenShiftJson('recorded-3.11-conformance', f) as Recording)

let cluster: Cluster
let target: Target
/** every difference the sequences found, accepted or not */
const found: Difference[] = []

beforeAll(async () => {
  // podStartDelay: the longest a timer may wait, so that no build pod runs while the suite does (as without a node)
  cluster = await startCluster({ port: 0, namespace: 'osbs', podStartDelay: 2 ** 31 - 1, logWaitSeconds: 1, kubeconfig: false, koji: false })
  const image = (n: number) => ({ imageId: `sha256:${String(n).repeat(64)}`, labels: { 'built-by': 'server-conformance' }, architecture: 'amd64', created: '2026-01-01T00:00:00Z' })
  cluster.registries.push(REGISTRY, 'acme/app', '1.0', image(1))
  cluster.registries.push(REGISTRY, 'acme/app', 'latest', image(2))
  const secret = cluster.store.list('secrets', 'osbs').find((s) => s.metadata.name.startsWith('default-token-'))
  const plainToken = Buffer.from((secret!.data as { token: string }).token, 'base64').toString('utf8')
  // the BuildConfig the recording wrote: the action's rendering of the day it was recorded
  const written = recorded.find((r) => r.sequence === 'buildconfig')!.steps.find((s) => s.step === 'create')!.request.body
  target = { server: cluster.url, token: cluster.token, plainToken, namespace: 'osbs', registry: REGISTRY, buildConfig: written }
})
afterAll(async () => {
  await cluster.close()
})

describe('the local OpenShift answers as the recorded OpenShift 3.11 master', () => {
  it('every sequence has a recording, every recording a sequence', () => {
    expect(recorded.map((r) => r.sequence).sort()).toEqual(SEQUENCES.map((s) => s.name).sort())
  })

  for (const sequence of SEQUENCES) {
    it(`${sequence.name}: ${sequence.description}`, async () => {
      const real = recorded.find((r) => r.sequence === sequence.name)!
      // the real master's watch cache holds only recent events: the local OpenShift forgets older ones too
      await fetch(`${cluster.url}/_emulator/compact`, { method: 'POST', headers: { Authorization: `Bearer ${cluster.token}` } })
      const session = new Session(target)
      await session.start()
      await sequence.run(session)
      const local: Recording = { ...real, steps: session.steps }
      const short = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 300))
      const differences = compare(real, local)
      found.push(...differences)
      expect(unaccepted(differences, ACCEPTED).map((d) => `${d.step} ${d.path}: real ${short(d.real)}; local ${short(d.local)}`)).toEqual([])
    })
  }

  it('each accepted difference is still found (none is kept after the local OpenShift was fixed)', () => {
    const stale = ACCEPTED.filter((a) => unaccepted(found, [a]).length === found.length)
    expect(stale.map((a) => `${a.sequence}/${a.step} ${a.path}`)).toEqual([])
  })
})
