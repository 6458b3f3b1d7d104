/**
 * The local OpenShift's real builds (emulator/src/images/real/): choosing the mode, the CLI's flags and start-up line,
 * registry processes and buildah storage that end with the cluster, base images whose digests are the registry's
 * (the registries' TLS: real-registries-tls.test.ts).
 * The parts that run buildah and docker-registry are skipped by name where the packages are missing (a failure in CI).
 */
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describeRealBuilds, skopeoInspect } from '../../__fixtures__/e2e/real-builds.js'
import { parseArgs } from '../src/cluster/cli.js'
import { startCluster } from '../src/index.js'
import { isServedOrLoopback } from '../src/reactor/backends/real.js'
import { decideBuilds, isStatic } from '../src/images/real/tools.js'

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Processes whose command line names something under `dir` (the registries serve a config file there). */
function processesUsing(dir: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

describe('choosing real or simulated builds', () => {
  const none = () => undefined
  const all = (c: string) => `/usr/bin/${c}`
  it('simulated needs nothing and says nothing', () => {
    expect(decideBuilds('simulated', none)).toEqual({ mode: 'simulated' })
  })
  it('auto without the packages: simulated, with one notice naming the packages that make builds real', () => {
    const d = decideBuilds('auto', (c) => (c === 'buildah' ? '/usr/bin/buildah' : undefined))
    expect(d.mode).toBe('simulated')
    expect(d.notice).toBe(
      'local OpenShift: builds are simulated (no images are built or pushed): docker-registry, busybox-static not installed; ' +
        'apt-get install buildah docker-registry busybox-static makes them real'
    )
  })
  it('auto with the packages: real, with their paths', () => {
    expect(decideBuilds('auto', all)).toEqual({ mode: 'real', tools: { buildah: '/usr/bin/buildah', registry: '/usr/bin/docker-registry', busybox: '/usr/bin/busybox' } })
  })
  it('real without the packages is an error naming them', () => {
    expect(() => decideBuilds('real', none)).toThrow(
      '--builds real: buildah, docker-registry, busybox-static not installed (apt-get install buildah docker-registry busybox-static), or use --builds simulated'
    )
  })
  it('a dynamically linked program is not taken for busybox-static', () => {
    expect(isStatic(process.execPath)).toBe(false)
  })
})

describe('which pushes are real', () => {
  it('registries the cluster serves and loopback addresses (nothing listening fails the push); other names stay in memory', () => {
    const served = ['127.0.0.1:40001']
    expect(isServedOrLoopback(served, 'http://127.0.0.1:40001/v2')).toBe(true)
    expect(isServedOrLoopback(served, '127.0.0.1:1')).toBe(true)
    expect(isServedOrLoopback(served, 'localhost:5000/v2')).toBe(true)
    expect(isServedOrLoopback(served, '[::1]:5000')).toBe(true)
    expect(isServedOrLoopback(served, 'registry-v1.example.com:5000')).toBe(false)
    expect(isServedOrLoopback(served, 'https://registry.example.com/v2')).toBe(false)
  })
})

describe('npm run cluster flags', () => {
  it('--builds defaults to auto; --registry repeats; --source-registry names one of them', () => {
    expect(parseArgs([]).builds).toBe('auto')
    expect(parseArgs(['--builds', 'simulated', '--registry', 'registry', '--registry=source', '--source-registry', 'source'])).toMatchObject({
      builds: 'simulated',
      registryNames: ['registry', 'source'],
      sourceRegistry: 'source'
    })
  })
  it('a wrong --builds or --registry value is an error with the value and the usage', () => {
    expect(() => parseArgs(['--builds', 'fast'])).toThrow(/--builds: fast is not real, simulated or auto\nusage:/)
    expect(() => parseArgs(['--registry', 'Reg/1'])).toThrow(/--registry: "Reg\/1" is not a name/)
  })
  it("--scheduled-import-interval sets how often scheduled imports run, in seconds from 1 (unset: OpenShift's 900)", () => {
    expect(parseArgs([]).scheduledImportIntervalSeconds).toBeUndefined()
    expect(parseArgs(['--scheduled-import-interval', '1']).scheduledImportIntervalSeconds).toBe(1)
    expect(parseArgs(['--scheduled-import-interval=60']).scheduledImportIntervalSeconds).toBe(60)
    expect(() => parseArgs(['--scheduled-import-interval', '0'])).toThrow(/--scheduled-import-interval: 0 is not a number of seconds from 1/)
    expect(() => parseArgs(['--scheduled-import-interval', 'soon'])).toThrow(/--scheduled-import-interval: not a non-negative integer: soon/)
  })

  it('without the packages the cluster starts, says once that builds are simulated, and which packages make them real', async () => {
    const script = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.cluster as string
    const [, ...args] = script.split(/\s+/)
    // a PATH with none of the tools on it
    const child = spawn(process.execPath, [...args, '--port', '0'], { cwd: repoRoot, env: { ...process.env, PATH: '/nonexistent' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    const info = JSON.parse(line)
    expect(info.builds).toBe('simulated')
    expect(info.registries).toEqual({})
    expect(info.registryCA).toBeUndefined()
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^local OpenShift: builds are simulated .* apt-get install buildah docker-registry busybox-static makes them real$/)])
  })
})

describeRealBuilds('real registries and base images', () => {
  it('publishing a base image pushes a real new version; the ImageStream tag and lookups have the registry digest; close() leaves nothing', async () => {
    const cluster = await startCluster({ port: 0, builds: 'real', registryNames: ['registry', 'source'], sourceRegistry: 'source' })
    let dir = ''
    try {
      expect(cluster.builds).toBe('real')
      const source = cluster.registryHosts['source']!
      expect(cluster.sourceRegistryHost).toBe(source)
      const v1 = await cluster.publishImage('osbs', 'fedora', 'latest', { from: 'registry.fedoraproject.org/fedora:latest' })
      expect(v1.from).toBe(`${source}/fedora:latest`)
      const served1 = await skopeoInspect(`${source}/fedora:latest`)
      expect(v1.image).toBe(served1.Digest)
      expect(served1.Labels).toMatchObject({ 'emulator.base-image': 'fedora:latest', 'emulator.version': '1' })
      const v2 = await cluster.publishImage('osbs', 'fedora', 'latest')
      const served2 = await skopeoInspect(`${source}/fedora:latest`)
      expect(v2.image).toBe(served2.Digest)
      expect(v2.image).not.toBe(v1.image)
      expect(served2.Layers[0]).not.toBe(served1.Layers[0])
      // what an ImageStream import or a build's lookup sees
      expect(cluster.registries.lookup(`${source}/fedora:latest`)?.digest).toBe(served2.Digest)
      const is = cluster.store.get('imagestreams', 'osbs', 'fedora')!
      expect(is.status.tags[0].items[0]).toMatchObject({ image: v2.image, dockerImageReference: `${source}/fedora@${v2.image}` })
      dir = cluster.imagesDir!
      expect(processesUsing(dir).length).toBe(Object.keys(cluster.registryHosts).length)
    } finally {
      await cluster.close()
    }
    expect(processesUsing(dir)).toEqual([])
    expect(existsSync(dir)).toBe(false)
    for (const host of Object.values(cluster.registryHosts)) await expect(fetch(`http://${host}/v2/`)).rejects.toThrow()
  })
})
