/**
 * End to end with real images (`builds: 'real'`): the bundled action against a local OpenShift whose builds run
 * buildah and push to a real registry. Every output is checked against what the registry serves (skopeo).
 * Run alone: `npx jest __tests__/e2e-real-builds.test.ts`.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { errorAnnotations, runAction } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { describeRealBuilds, manifestStatus, skopeoInspect, skopeoManifest } from '../__fixtures__/e2e/real-builds.js'

describeRealBuilds('real builds: the action against buildah and a real registry', () => {
  const local = useLocalOpenShift({
    logWaitSeconds: 5,
    builds: 'real',
    registryNames: ['registry', 'source'],
    sourceRegistry: 'source',
    craneHosts: { 'pulp-prod': 'crane.example.com' }
  })
  let tmp: string
  let registry: string
  let source: string
  let fedora: { image: string }
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'osbs-e2e-real-'))
    registry = local.emulator.registryHosts['registry']!
    source = local.emulator.registryHosts['source']!
    fedora = await local.emulator.publishImage(local.emulator.namespace, 'fedora', 'latest', { from: 'fedora:latest' })
  })
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))
  const inputs = (extra: Record<string, string> = {}) => local.inputs({ 'registry-uri': `${registry}/v2`, 'source-registry-uri': source, 'registry-api-versions': 'v2', ...extra })

  it('v2 only: the outputs name images the registry serves, with the digest, id and labels of the build', async () => {
    const repo = makeRepo(path.join(tmp, 'app'), {
      Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0', 'RUN echo hello from buildah && seq 3\nRUN echo built > /built.txt\n')
    })
    const run = await runAction({ checkout: repo, repository: 'acme/app', inputs: inputs() })
    if (run.code !== 0) console.log(run.stdout)
    expect(run.code).toBe(0)
    const out = run.outputs
    expect(out.image).toBe(`${registry}/acme/app:1.0-1`)
    const served = await skopeoInspect(out.image)
    expect(out['image-digest']).toBe(served.Digest)
    expect(served.Labels).toMatchObject({ name: 'acme/app', version: '1.0', release: '1', 'vcs-ref': repo.commit })
    // every pushed tag is the same manifest, as the build recorded it
    const digests = JSON.parse(out.digests) as { registry: string; repository: string; tag: string; digest: string }[]
    expect(digests.length).toBe(JSON.parse(out.images).length)
    for (const d of digests) expect((await skopeoInspect(`${registry}/${d.repository}:${d.tag}`)).Digest).toBe(d.digest)
    // the image id is the config the registry serves
    expect(out['image-id']).toBe((await skopeoManifest(out.image)).config.digest)
    // the base layer is the published base's; the RUN steps ran and their output is in the log
    const base = await skopeoInspect(`${source}/fedora:latest`)
    expect(base.Digest).toBe(fedora.image)
    expect(served.Layers[0]).toBe(base.Layers[0])
    // squash (on by default) made the layers above the base one
    expect(served.Layers.length).toBe(2)
    const log = await local.log(out['build-name'])
    expect(log).toMatch(/hello from buildah\n(.*\n)?.*1\n(.*\n)?.*2\n(.*\n)?.*3\n/)
  })

  it('a failing RUN fails the build with its exit code and the tool message; nothing is pushed', async () => {
    const repo = makeRepo(path.join(tmp, 'broken'), { Dockerfile: dockerfile('fedora:latest', 'acme/broken', '1.0', 'RUN echo about to fail; exit 7\n') })
    const run = await runAction({ checkout: repo, repository: 'acme/broken', inputs: inputs() })
    expect(run.code).not.toBe(0)
    expect(run.outputs['build-status']).toBe('Failed')
    const log = await local.log(run.outputs['build-name'])
    expect(log).toContain('about to fail')
    expect(log).toMatch(/Build step plugin docker_api failed: building at STEP "RUN echo about to fail; exit 7": exit status 7/)
    expect(errorAnnotations(run.stdout).join('\n')).toContain('exit status 7')
    expect(await manifestStatus(registry, 'acme/broken', '1.0-1', local.emulator.registryCA!)).toBe(404)
  })

  it("a push to a registry nobody serves fails as a real push does: connection refused, atomic-reactor's message", async () => {
    const repo = makeRepo(path.join(tmp, 'nowhere'), { Dockerfile: dockerfile('fedora:latest', 'acme/nowhere', '1.0') })
    const run = await runAction({ checkout: repo, repository: 'acme/nowhere', inputs: inputs({ 'registry-uri': '127.0.0.1:1/v2' }) })
    expect(run.code).not.toBe(0)
    expect(run.outputs['build-status']).toBe('Failed')
    const log = await local.log(run.outputs['build-name'])
    expect(log).toContain("plugin 'tag_and_push' raised an exception: RuntimeError('Failed to push image 127.0.0.1:1/acme/nowhere:1.0-1: {u")
    expect(log).toContain('dial tcp 127.0.0.1:1: connect: connection refused')
  })

  it('multi-stage: the final image has the base layer and what was copied from the first stage', async () => {
    const repo = makeRepo(path.join(tmp, 'multi'), {
      Dockerfile:
        'FROM fedora:latest AS builder\nRUN echo compiled > /artifact\n' + dockerfile('fedora:latest', 'acme/multistage', '3.0', 'COPY --from=builder /artifact /app/artifact\nRUN cat /app/artifact\n')
    })
    const run = await runAction({ checkout: repo, repository: 'acme/multistage', inputs: inputs() })
    if (run.code !== 0) console.log(run.stdout)
    expect(run.code).toBe(0)
    const served = await skopeoInspect(run.outputs.image)
    expect(run.outputs['image-digest']).toBe(served.Digest)
    expect(served.Layers[0]).toBe((await skopeoInspect(`${source}/fedora:latest`)).Layers[0])
    expect(run.outputs['base-image']).toBe('fedora:latest')
    expect(await local.log(run.outputs['build-name'])).toMatch(/ - DEBUG - compiled\n/)
  })

  it('v1 + v2 + Pulp: the v2 push is real, pulp_sync copies the registry digests, v1 and crane stay emulated', async () => {
    for (const name of ['pulp-creds', 'v1-creds', 'v2-creds'])
      await local.api.request({
        verb: 'POST',
        group: 'core',
        resource: 'secrets',
        body: { apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { token: Buffer.from('x').toString('base64') } }
      })
    const repo = makeRepo(path.join(tmp, 'mixed'), { Dockerfile: dockerfile('fedora:latest', 'acme/mixed', '2.0', 'RUN echo mixed\n') })
    const run = await runAction({
      checkout: repo,
      repository: 'acme/mixed',
      inputs: inputs({
        'registry-uri': `registry-v1.example.com:5000/v1\n${registry}/v2`,
        'registry-secret': 'v1-creds,v2-creds',
        'registry-api-versions': 'v1,v2',
        'pulp-registry-name': 'pulp-prod',
        'pulp-secret': 'pulp-creds'
      })
    })
    if (run.code !== 0) console.log(run.stdout)
    expect(run.code).toBe(0)
    const out = run.outputs
    if (process.env.E2E_SHOW) console.log(out)
    expect(out['v1-images']).toMatch(/^registry-v1\.example\.com:5000\/acme\/mixed:/)
    expect(out['pulp-images']).toMatch(/^crane\.example\.com\/acme\/mixed:/)
    const log = await local.log(out['build-name'])
    // the push was real: the registry's digest is in the log; pulp_sync copied it; delete_from_registry removed it
    const pushed = new RegExp(`pushed '${registry}/acme/mixed:[^']+': digest (sha256:[0-9a-f]{64})`).exec(log)?.[1]
    const pulp = local.emulator.registries.pulp.get('pulp-prod')!.repository('acme/mixed')!
    const crane = [...pulp.tags.values()].map((t) => t.digest)
    expect(crane.length).toBeGreaterThan(0)
    for (const d of crane) expect(d).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(new Set(crane).size).toBe(1)
    expect(crane[0]).toBe(pushed)
    const recorded = (JSON.parse(out.digests) as { registry: string; digest: string }[]).filter((d) => d.registry === 'crane.example.com')
    expect(recorded.length).toBeGreaterThan(0)
    for (const d of recorded) expect(d.digest).toBe(pushed)
    // delete_from_registry removed the synced manifest from the v2 registry: it answers 404 now
    expect(await manifestStatus(registry, 'acme/mixed', pushed!, local.emulator.registryCA!)).toBe(404)
    expect(out['v2-images']).toBe('')
    expect(local.emulator.registries.findRegistry('registry-v1.example.com:5000')?.tags('acme/mixed').length).toBeGreaterThan(0)
  })
})
