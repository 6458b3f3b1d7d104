/**
 * End to end with real images: the autorebuild chain. fedora (a base image the local OpenShift makes) → acme/base
 * built by the action on it → acme/app built by the action on acme/base. Publishing a new fedora makes OpenShift
 * rebuild acme/base and then acme/app by themselves; the registry then serves images whose base layers are the new
 * ones. Run alone: `npx jest __tests__/e2e-real-autorebuild.test.ts`.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runAction, until } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { describeRealBuilds, skopeoInspect } from '../__fixtures__/e2e/real-builds.js'

describeRealBuilds('real builds: autorebuild chain', () => {
  // Scheduled imports every second: the base OpenShift rebuilds reaches its ImageStream, and so the application, within the test.
  const local = useLocalOpenShift({ logWaitSeconds: 5, builds: 'real', scheduledImportIntervalSeconds: 1 })
  let tmp: string
  let registry: string
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'osbs-e2e-real-rebuild-'))
    registry = local.emulator.registryHosts['registry']!
  })
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))
  const inputs = () => local.inputs({ 'registry-uri': `${registry}/v2`, 'source-registry-uri': registry, 'registry-api-versions': 'v2' })

  /** The image a build pushed (its first primary pull spec) as the registry serves it. */
  async function pushedBy(build: { metadata: { annotations?: Record<string, string> } }) {
    const primary = JSON.parse(build.metadata.annotations!.repositories).primary[0] as string
    const digest = (JSON.parse(build.metadata.annotations!.digests) as { repository: string; tag: string; digest: string }[]).find((d) => primary.endsWith(`/${d.repository}:${d.tag}`))!.digest
    return { pullSpec: primary, recorded: digest, served: await skopeoInspect(primary) }
  }

  /** The second build of a BuildConfig once it ended. */
  const secondBuild = (bc: string) =>
    until(
      `the autorebuild of ${bc} to end`,
      () => {
        const all = local.buildsOf(bc)
        return all.length >= 2 && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(all[1].status?.phase) ? all[1] : undefined
      },
      120_000,
      200
    )

  it('a new base image rebuilds the base and then the application, each on the new layers', async () => {
    const fedora1 = await local.emulator.publishImage(local.emulator.namespace, 'fedora', 'latest', { from: 'fedora:latest' })
    const base = makeRepo(path.join(tmp, 'base'), { Dockerfile: dockerfile('fedora:latest', 'acme/base', '1.0', 'RUN echo base > /base.txt\n') })
    const baseRun = await runAction({ checkout: base, repository: 'acme/base', inputs: inputs() })
    if (baseRun.code !== 0) console.log(baseRun.stdout)
    expect(baseRun.code).toBe(0)
    const app = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('acme/base:latest', 'acme/app', '2.0', 'RUN cat /base.txt && echo app > /app.txt\n') })
    const appRun = await runAction({ checkout: app, repository: 'acme/app', inputs: inputs() })
    if (appRun.code !== 0) console.log(appRun.stdout)
    expect(appRun.code).toBe(0)
    expect(appRun.outputs['base-image-stream-tag']).toBe('acme-base:latest')
    const app1 = await skopeoInspect(appRun.outputs.image)
    expect(appRun.outputs['image-digest']).toBe(app1.Digest)
    const fedoraLayer1 = (await skopeoInspect(`${registry}/fedora:latest`)).Layers[0]
    expect(app1.Layers[0]).toBe(fedoraLayer1)

    // a new fedora: OpenShift rebuilds acme/base, whose import makes it rebuild acme/app
    const fedora2 = await local.emulator.publishImage(local.emulator.namespace, 'fedora', 'latest')
    expect(fedora2.image).not.toBe(fedora1.image)
    const fedoraLayer2 = (await skopeoInspect(`${registry}/fedora:latest`)).Layers[0]
    expect(fedoraLayer2).not.toBe(fedoraLayer1)

    const baseRebuild = await secondBuild(baseRun.outputs['build-config'])
    expect(baseRebuild.status.phase).toBe('Complete')
    expect(baseRebuild.metadata.labels?.is_autorebuild).toBe('true')
    const base2 = await pushedBy(baseRebuild)
    expect(base2.recorded).toBe(base2.served.Digest)
    expect(base2.served.Layers[0]).toBe(fedoraLayer2)
    expect((await skopeoInspect(`${registry}/acme/base:latest`)).Digest).toBe(base2.served.Digest)

    const appRebuild = await secondBuild(appRun.outputs['build-config'])
    expect(appRebuild.status.phase).toBe('Complete')
    expect(JSON.stringify(appRebuild.spec.triggeredBy)).toMatch(/[Ii]mage change/)
    const app2 = await pushedBy(appRebuild)
    expect(app2.recorded).toBe(app2.served.Digest)
    expect(app2.served.Digest).not.toBe(app1.Digest)
    // the rebuilt application's layers: the new fedora's, then the rebuilt base's, then its own
    expect(app2.served.Layers.slice(0, 2)).toEqual(base2.served.Layers.slice(0, 2))
    expect(app2.served.Layers[0]).toBe(fedoraLayer2)
    expect(app2.served.Labels).toMatchObject({ name: 'acme/app', version: '2.0', release: '2' })
  }, 300_000) // four real builds, two of them started by OpenShift, on a busy 2-core machine
})
