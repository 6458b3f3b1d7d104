/**
 * End to end, check 4: a base image built through the action, then rebuilt → OpenShift rebuilds the application
 * by itself, as an autorebuild; a new fedora makes OpenShift rebuild the base and then the application, with no
 * action running (the scheduled import of the base's ImageStream carries the chain on); with autorebuild disabled in
 * the application's .osbs-repo-config the triggered build stops (SPEC §9.4).
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { runAction, until } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

// Scheduled imports every second (OpenShift's default is 15 minutes): the chain moves on within the test.
const local = useLocalOpenShift({ logWaitSeconds: 2, scheduledImportIntervalSeconds: 1 })
const tmp = makeTempDir('osbs-e2e-rebuild-')

describe('autorebuild', () => {
  let base: Checkout
  let app: Checkout
  let appBc: string
  let baseBc: string

  async function rebuildBase(message: string): Promise<void> {
    base = commitFiles(base, { README: `${message}\n` }, message)
    const run = await runAction({ checkout: base, repository: 'acme/base', inputs: local.inputs() })
    expect(run.code).toBe(0)
  }

  it('the base is built through the action, then the application on top of it', async () => {
    base = makeRepo(path.join(tmp, 'base'), { Dockerfile: dockerfile('fedora:latest', 'acme/base', '1.0', 'RUN echo base\n') })
    const baseRun = await runAction({ checkout: base, repository: 'acme/base', inputs: local.inputs() })
    expect(baseRun.code).toBe(0)
    baseBc = baseRun.outputs['build-config']
    // the action wrote the base's ImageStream (no import_image plugin), its moving tags re-imported on a schedule
    const stream = local.emulator.store.get('imagestreams', local.emulator.namespace, 'acme-base')!
    expect(stream.spec.tags.map((t: any) => [t.name, t.importPolicy])).toEqual([
      ['1.0', { scheduled: true, insecure: true }],
      ['latest', { scheduled: true, insecure: true }]
    ])
    expect(stream.status.tags.find((t: any) => t.tag === 'latest').items[0].image).toBe(baseRun.outputs['image-digest'])

    // enabled in the file itself: only then does the BuildConfig read it again in each autorebuild (the last test)
    app = makeRepo(path.join(tmp, 'app'), {
      Dockerfile: dockerfile('acme/base:latest', 'acme/app', '2.0', 'RUN echo app\n'),
      '.osbs-repo-config': '[autorebuild]\nenabled = true\n'
    })
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

  it('a new fedora: OpenShift rebuilds the base, the scheduled import moves acme-base:latest, and OpenShift rebuilds the application', async () => {
    const baseBuilds = local.buildsOf(baseBc).length
    await local.emulator.publishImage(local.emulator.namespace, 'fedora', 'latest', { from: 'fedora:latest' })
    const ended = (bc: string, count: number) => {
      const all = local.buildsOf(bc)
      return all.length > count && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(all[count].status?.phase) ? all[count] : undefined
    }
    const base = await until('the base autorebuild to end', () => ended(baseBc, baseBuilds))
    expect(base.status.phase).toBe('Complete')
    expect(base.metadata.labels?.is_autorebuild).toBe('true')
    // no action ran: the base's pushed latest reaches its ImageStream by the scheduled import
    const pushed = JSON.parse(base.metadata.annotations!.digests).find((d: any) => d.tag === 'latest').digest
    await until('acme-base:latest to point to the rebuilt base', () => {
      const stream = local.emulator.store.get('imagestreams', local.emulator.namespace, 'acme-base')
      return stream?.status?.tags?.find((t: any) => t.tag === 'latest')?.items?.[0]?.image === pushed || undefined
    })
    const app = await until('the application autorebuild to end', () => ended(appBc, 2))
    expect(app.status.phase).toBe('Complete')
    expect(app.metadata.labels?.is_autorebuild).toBe('true')
    expect(JSON.stringify(app.spec.triggeredBy)).toContain('acme-base:latest')
  })

  it('with autorebuild disabled in the application repository, the triggered build stops', async () => {
    app = commitFiles(app, { '.osbs-repo-config': '[autorebuild]\nenabled = false\n' }, 'disable autorebuild')
    await rebuildBase('base: third version')
    const stopped = await until('the triggered application build to end', () => {
      const all = local.buildsOf(appBc)
      return all.length === 4 && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(all[3].status?.phase) ? all[3] : undefined
    })
    expect(stopped.status.phase).toBe('Failed')
    expect(await local.log(stopped.metadata.name)).toContain('plugin stop_autorebuild_if_disabled canceled autorebuild: autorebuild is disabled')
  })
})
