/**
 * End to end, checks 9 and 12: the log stream cut three times during a build (every line exactly once, in order);
 * bursts of 500/503 and connection resets on GETs; an instantiate whose answer is lost never makes two builds.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { startCluster, type Cluster as Emulator } from '../emulator/src/index.js'
import { Cluster } from '../src/cluster/index.js'
import { plainLines, runAction } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

let emulator: Emulator
let api: Cluster
const tmp = makeTempDir('osbs-e2e-faults-')

beforeAll(async () => {
  emulator = await startCluster({ port: 0, logWaitSeconds: 2, logPace: 5 })
  api = Cluster.fromSettings({ server: emulator.url, token: emulator.token, insecureSkipTlsVerify: false }, { namespace: emulator.namespace, env: {} })
})
afterAll(async () => {
  emulator?.faults.clear()
  await api?.close()
  await emulator?.close()
})

const inputs = (): Record<string, string> => ({
  'openshift-server': emulator.url,
  'openshift-token': emulator.token,
  namespace: emulator.namespace,
  'registry-uri': 'registry.example.com/v2'
})
const buildsOf = (bc: string) => emulator.store.list('builds', emulator.namespace).filter((b) => b.metadata.labels?.['openshift.io/build-config.name'] === bc)

async function fullLog(build: string): Promise<string[]> {
  const chunks: Buffer[] = []
  for await (const c of await api.buildLog(build, {})) chunks.push(Buffer.from(c))
  return Buffer.concat(chunks)
    .toString()
    .split('\n')
    .filter((l) => l !== '')
}

describe('faults', () => {
  it('9. the log stream cut three times during the build: every line once, in order', async () => {
    const repo = makeRepo(path.join(tmp, 'cut'), { Dockerfile: dockerfile('fedora:latest', 'acme/cut', '1.0', 'RUN seq 300\n') })
    // each of the next three log requests is cut after 4 kB, while the build (about 2 s) is still writing
    const cut = emulator.faults.cutStream({ method: 'GET', path: /\/log$/ }, 4096, { count: 3 })
    const run = await runAction({ checkout: repo, repository: 'acme/cut', inputs: inputs() })
    emulator.faults.remove(cut)
    expect(run.code).toBe(0)
    expect(cut.hits).toBe(3)
    const log = await fullLog(run.outputs['build-name'])
    expect(log.length).toBeGreaterThan(300)
    const printed = plainLines(run.stdout)
    const start = printed.indexOf(log[0])
    expect(start).toBeGreaterThanOrEqual(0)
    expect(printed.slice(start, start + log.length)).toEqual(log)
    // and no line of the log anywhere else
    const rest = [...printed.slice(0, start), ...printed.slice(start + log.length)]
    expect(rest.filter((line) => log.includes(line))).toEqual([])
  })

  it('12a. bursts of 500/503 and connection resets on GETs are retried; the run succeeds', async () => {
    const repo = makeRepo(path.join(tmp, 'flaky'), { Dockerfile: dockerfile('fedora:latest', 'acme/flaky', '1.0') })
    const faults = [
      emulator.faults.respond({ method: 'GET', path: '/apis/build.openshift.io/v1' }, 503, { count: 3 }),
      emulator.faults.reset({ method: 'GET', path: /\/buildconfigs\/[^/]+$/ }, { count: 2 }),
      emulator.faults.respond({ method: 'GET', path: /\/builds\/[^/]+$/ }, 500, { count: 3 }),
      emulator.faults.reset({ method: 'GET', path: /\/builds$/ }, { count: 2 }),
      emulator.faults.respond({ method: 'GET', path: /\/builds$/, query: { watch: 'true' } }, 503, { count: 2 })
    ]
    const run = await runAction({ checkout: repo, repository: 'acme/flaky', inputs: inputs() })
    for (const f of faults) emulator.faults.remove(f)
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('Complete')
    for (const f of faults) expect(f.hits).toBeGreaterThan(0)
    expect(buildsOf(run.outputs['build-config'])).toHaveLength(1)
  })

  it('12b. an instantiate that never reached the server is sent again: one build', async () => {
    const repo = makeRepo(path.join(tmp, 'reset'), { Dockerfile: dockerfile('fedora:latest', 'acme/reset', '1.0') })
    const fault = emulator.faults.reset({ method: 'POST', path: /\/instantiate$/ })
    const run = await runAction({ checkout: repo, repository: 'acme/reset', inputs: inputs() })
    expect(fault.hits).toBe(1)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('looking for the build it may have started')
    expect(run.stdout).toContain('No build was started; sending the request again')
    expect(buildsOf(run.outputs['build-config'])).toHaveLength(1)
  })

  it('12c. an instantiate carried out whose answer is lost: the build is found, not started twice', async () => {
    const repo = makeRepo(path.join(tmp, 'lost'), { Dockerfile: dockerfile('fedora:latest', 'acme/lost', '1.0') })
    // the emulator carries the instantiate out, then drops the connection instead of answering
    const lost = emulator.faults.dropResponse({ method: 'POST', path: /\/instantiate$/ })
    const run = await runAction({ checkout: repo, repository: 'acme/lost', inputs: inputs() })
    emulator.faults.remove(lost)
    expect(lost.hits).toBe(1)
    expect(run.code).toBe(0)
    const all = buildsOf(run.outputs['build-config'])
    expect(all).toHaveLength(1)
    expect(run.outputs['build-name']).toBe(all[0].metadata.name)
    expect(run.stdout).toContain(`Build ${all[0].metadata.name} was started by this run's request; following it`)
  })
  it('12d. a run that wrote the BuildConfig and then failed (instantiate refused) still sets build-config-json, the BuildConfig it wrote', async () => {
    const repo = makeRepo(path.join(tmp, 'refused'), { Dockerfile: dockerfile('fedora:latest', 'acme/refused', '1.0') })
    const refused = emulator.faults.respond({ method: 'POST', path: /\/instantiate$/ }, 403, { message: 'instantiate is not allowed here' })
    const run = await runAction({ checkout: repo, repository: 'acme/refused', inputs: inputs() })
    emulator.faults.remove(refused)
    expect(refused.hits).toBe(1)
    expect(run.code).toBe(1)
    expect(run.outputs['build-name']).toBeUndefined()
    const written = JSON.parse(run.outputs['build-config-json']!) as { metadata: { name: string }; spec: Record<string, unknown> }
    const stored = emulator.store.get('buildconfigs', emulator.namespace, written.metadata.name)!
    expect(buildsOf(written.metadata.name)).toHaveLength(0)
    expect(written.spec).toMatchObject({ source: stored.spec.source, strategy: stored.spec.strategy, output: stored.spec.output, triggers: stored.spec.triggers })
  })
})
