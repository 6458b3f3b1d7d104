/**
 * End to end, check 4: a base image built through the action, then rebuilt → OpenShift rebuilds the application
 * by itself, as an autorebuild; with autorebuild disabled in the application's .osbs-repo-config the triggered
 * build stops (SPEC §9.4).
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { runAction, until } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 2 })
const tmp = makeTempDir('osbs-e2e-rebuild-')

describe('autorebuild', () => {
  let base: Checkout
  let app: Checkout
  let appBc: string

  async function rebuildBase(message: string): Promise<void> {
    base = commitFiles(base, { README: `${message}\n` }, message)
    const run = await runAction({ checkout: base, repository: 'acme/base', inputs: local.inputs() })
    expect(run.code).toBe(0)
  }

  it('the base is built through the action, then the application on top of it', async () => {
    base = makeRepo(path.join(tmp, 'base'), { Dockerfile: dockerfile('fedora:latest', 'acme/base', '1.0', 'RUN echo base\n') })
    const baseRun = await runAction({ checkout: base, repository: 'acme/base', inputs: local.inputs() })
    expect(baseRun.code).toBe(0)
    expect(local.emulator.store.get('imagestreamtags', local.emulator.namespace, 'acme-base:latest') ?? local.emulator.store.get('imagestreams', local.emulator.namespace, 'acme-base')).toBeDefined()

    app = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('acme/base:latest', 'acme/app', '2.0', 'RUN echo app\n') })
    const appRun = await runAction({ checkout: app, repository: 'acme/app', inputs: local.inputs() })
    expect(appRun.code).toBe(0)
    appBc = appRun.outputs['build-config']
    expect(appRun.outputs['base-image-stream-tag']).toBe('acme-base:latest')
    expect(local.buildsOf(appBc)).toHaveLength(1)
    // check_and_set_rebuild marked the BuildConfig: later builds started by OpenShift are autorebuilds
    expect(local.emulator.store.get('buildconfigs', local.emulator.namespace, appBc)?.metadata.labels?.is_autorebuild).toBe('true')
  })

  it('rebuilding the base makes OpenShift rebuild the application, marked as an autorebuild', async () => {
    await rebuildBase('base: second version')
    const rebuilt = await until('the application autorebuild to end', () => {
      const all = local.buildsOf(appBc)
      return all.length === 2 && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(all[1].status?.phase) ? all[1] : undefined
    })
    expect(rebuilt.status.phase).toBe('Complete')
    expect(rebuilt.metadata.labels?.is_autorebuild).toBe('true')
    expect(JSON.stringify(rebuilt.spec.triggeredBy)).toMatch(/[Ii]mage change/)
    expect(await local.log(rebuilt.metadata.name)).toMatch(/This is a rebuild\? True/)
  })

  it('with autorebuild disabled in the application repository, the triggered build stops', async () => {
    app = commitFiles(app, { '.osbs-repo-config': '[autorebuild]\nenabled = false\n' }, 'disable autorebuild')
    await rebuildBase('base: third version')
    const stopped = await until('the triggered application build to end', () => {
      const all = local.buildsOf(appBc)
      return all.length === 3 && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(all[2].status?.phase) ? all[2] : undefined
    })
    expect(stopped.status.phase).toBe('Failed')
    expect(await local.log(stopped.metadata.name)).toContain('plugin stop_autorebuild_if_disabled canceled autorebuild: autorebuild is disabled')
  })
})
