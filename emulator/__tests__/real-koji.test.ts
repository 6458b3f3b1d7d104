/**
 * The real atomic-reactor 1.6.26.3 (`reactor: 'real'`, through podman) running its Koji plugins against the local
 * Koji hub: bump_release, koji_parent, koji (the target's yum repo), koji_promote (SSL login with the `kojisecret`
 * folder, the outputs uploaded, CGImport) and koji_tag_build. A parent image is built and imported first; a layered
 * image built FROM it then finds the parent's Koji build. After them the hub holds both builds with their outputs
 * (checksums verified against the uploaded bytes), tagged into the target's destination tag, and the cluster did not
 * record them a second time.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { startCluster, type Cluster } from '../src/index.js'
import { dockerfile, GitRepo } from '../__fixtures__/git-repo.js'
import { runKojiBuild } from '../__fixtures__/koji-plugins.js'
import { describeRealBuilds } from '../../__fixtures__/e2e/real-builds.js'
import { describeWithReactorTools } from '../../__fixtures__/reactor-tools.js'

const NS = 'osbs'

describeRealBuilds('Koji plugins of the real atomic-reactor', () => {
  describeWithReactorTools('against the local Koji hub', () => {
    let cluster: Cluster
    const repos: GitRepo[] = []
    beforeAll(async () => {
      cluster = await startCluster({
        port: 0,
        namespace: NS,
        builds: 'real',
        reactor: 'real',
        registryNames: ['registry', 'source'],
        sourceRegistry: 'source',
        kojiTargets: ['app-candidate'],
        logWaitSeconds: 5
      })
      await cluster.publishImage(NS, 'fedora', 'latest', { from: 'fedora:latest' })
    })
    afterAll(async () => {
      await cluster?.close()
      repos.forEach((r) => r.remove())
    })

    async function build(name: string, files: Record<string, string>, from: { registry: string }): Promise<{ phase: string; log: string }> {
      const repo = new GitRepo()
      repos.push(repo)
      const commit = repo.commit(files, 'initial')
      const registry = cluster.registryHosts['registry']!
      const { build: b, log } = await runKojiBuild(cluster, NS, { name, commit, uri: repo.uri, registry, sourceRegistry: from.registry, target: 'app-candidate', timeoutMs: 170_000 })
      return { phase: b.status.phase, log }
    }

    it('imports the parent image, then a layered image that waits for the parent build; both tagged, each recorded once', async () => {
      const parent = await build('parent', { Dockerfile: dockerfile({ from: 'fedora:latest', name: 'acme/parent', version: '1.0' }) }, { registry: cluster.sourceRegistryHost! })
      if (parent.phase !== 'Complete') console.log(parent.log)
      expect(parent.phase).toBe('Complete')
      expect(parent.log).toContain("Failed to find label 'com.redhat.component' in parent image. Not waiting for Koji build.")
      const koji = cluster.koji!
      const p = koji.builds().find((b) => b.name === 'acme-parent-container')!
      expect(p).toMatchObject({ version: '1.0', release: '1', cgName: 'atomic-reactor', owner: 'osbs' })
      expect(p.outputs.map((o) => o.type).sort()).toEqual(['docker-image', 'log', 'log'])
      for (const o of p.outputs) expect(createHash('md5').update(o.content!).digest('hex')).toBe(o.checksum)
      expect(koji.tagged('app-candidate')).toEqual(['acme-parent-container-1.0-1'])
      expect(cluster.store.get('builds', NS, 'parent-1')!.metadata.labels?.['koji-build-id']).toBe(String(p.id))

      const registry = cluster.registryHosts['registry']!
      const child = await build('child', { Dockerfile: dockerfile({ from: 'acme/parent:1.0-1', name: 'acme/child', version: '2.0' }) }, { registry })
      if (child.phase !== 'Complete') console.log(child.log)
      expect(child.phase).toBe('Complete')
      expect(child.log).toContain('Waiting for parent image Koji build acme-parent-container-1.0-1')
      expect(child.log).toContain('Parent image Koji build found')
      expect(koji.tagged('app-candidate')).toEqual(['acme-child-container-2.0-1', 'acme-parent-container-1.0-1'])
      // the imported builds (besides the base image's package, imported when the cluster published fedora:latest)
      const imported = koji.builds().filter((b) => b.cgName === 'atomic-reactor')
      expect(imported.map((b) => `${b.name}-${b.version}-${b.release}`)).toEqual(['acme-parent-container-1.0-1', 'acme-child-container-2.0-1'])
    })
  })
})
