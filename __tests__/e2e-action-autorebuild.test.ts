/**
 * End to end, check 4: a base image built through the action, then rebuilt → OpenShift rebuilds the application
 * by itself, as an autorebuild; with autorebuild disabled in the application's .osbs-repo-config the triggered
 * build stops (SPEC §9.4).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startCluster, type Cluster as Emulator } from '../emulator/src/index.js'
import { Cluster } from '../src/cluster.js'
import { runAction, until } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'

let emulator: Emulator
let api: Cluster
const tmp = mkdtempSync(path.join(os.tmpdir(), 'osbs-e2e-rebuild-'))

beforeAll(async () => {
  emulator = await startCluster({ port: 0, logWaitSeconds: 2 })
  api = Cluster.fromSettings({ server: emulator.url, token: emulator.token, insecureSkipTlsVerify: false }, { namespace: emulator.namespace, env: {} })
})
afterAll(async () => {
  await api?.close()
  await emulator?.close()
})

const inputs = (): Record<string, string> => ({
  'openshift-server': emulator.url,
  'openshift-token': emulator.token,
  namespace: emulator.namespace,
  'registry-uri': 'registry.example.com/v2'
})

const buildsOf = (bc: string) =>
  emulator.store
    .list('builds', emulator.namespace)
    .filter((b) => b.metadata.labels?.['openshift.io/build-config.name'] === bc)
    .sort((a, b) => Number(a.metadata.annotations?.['openshift.io/build.number']) - Number(b.metadata.annotations?.['openshift.io/build.number']))

async function logOf(build: string): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of await api.buildLog(build, {})) chunks.push(Buffer.from(c))
  return Buffer.concat(chunks).toString()
}

describe('autorebuild', () => {
  let base: Checkout
  let app: Checkout
  let appBc: string

  async function rebuildBase(message: string): Promise<void> {
    base = commitFiles(base, { 'README': `${message}\n` }, message)
    const run = await runAction({ checkout: base, repository: 'acme/base', inputs: inputs() })
    expect(run.code).toBe(0)
  }

  it('the base is built through the action, then the application on top of it', async () => {
    base = makeRepo(path.join(tmp, 'base'), { Dockerfile: dockerfile('fedora:latest', 'acme/base', '1.0', 'RUN echo base\n') })
    const baseRun = await runAction({ checkout: base, repository: 'acme/base', inputs: inputs() })
    expect(baseRun.code).toBe(0)
    expect(emulator.store.get('imagestreamtags', emulator.namespace, 'acme-base:latest') ?? emulator.store.get('imagestreams', emulator.namespace, 'acme-base')).toBeDefined()

    app = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('acme/base:latest', 'acme/app', '2.0', 'RUN echo app\n') })
    const appRun = await runAction({ checkout: app, repository: 'acme/app', inputs: inputs() })
    expect(appRun.code).toBe(0)
    appBc = appRun.outputs['build-config']
    expect(appRun.outputs['base-image-stream-tag']).toBe('acme-base:latest')
    expect(buildsOf(appBc)).toHaveLength(1)
    // check_and_set_rebuild marked the BuildConfig: later builds started by OpenShift are autorebuilds
    expect(emulator.store.get('buildconfigs', emulator.namespace, appBc)?.metadata.labels?.is_autorebuild).toBe('true')
  })

  it('rebuilding the base makes OpenShift rebuild the application, marked as an autorebuild', async () => {
    await rebuildBase('base: second version')
    const rebuilt = await until('the application autorebuild to end', () => {
      const all = buildsOf(appBc)
      return all.length === 2 && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(all[1].status?.phase) ? all[1] : undefined
    })
    expect(rebuilt.status.phase).toBe('Complete')
    expect(rebuilt.metadata.labels?.is_autorebuild).toBe('true')
    expect(JSON.stringify(rebuilt.spec.triggeredBy)).toMatch(/[Ii]mage change/)
    expect(await logOf(rebuilt.metadata.name)).toMatch(/This is a rebuild\? True/)
  })

  it('with autorebuild disabled in the application repository, the triggered build stops', async () => {
    app = commitFiles(app, { '.osbs-repo-config': '[autorebuild]\nenabled = false\n' }, 'disable autorebuild')
    await rebuildBase('base: third version')
    const stopped = await until('the triggered application build to end', () => {
      const all = buildsOf(appBc)
      return all.length === 3 && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(all[2].status?.phase) ? all[2] : undefined
    })
    expect(stopped.status.phase).toBe('Failed')
    expect(await logOf(stopped.metadata.name)).toContain(
      'plugin stop_autorebuild_if_disabled canceled autorebuild: autorebuild is disabled'
    )
  })
})
