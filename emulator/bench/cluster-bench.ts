/**
 * Benchmark of the local OpenShift (not a test): `npm run bench:emulator`.
 *
 * 1. 50 builds at once, each a real run of the emulated atomic-reactor (git clone of a local repository, build,
 *    push to an in-memory registry, metadata): builds/s.
 * 2. A followed build log of 100,000, 1,000,000 and 3,000,000 lines (`follow=true&timestamps=true`): log lines/s,
 *    and the emulator's peak memory (max RSS) for each, which must not grow with the log's length.
 *
 * 3. Where buildah, docker-registry and busybox-static are installed: real builds (buildah bud of a Dockerfile with
 *    a RUN step on a base image of the cluster, push to its registry): one alone, then n at once (--real-builds,
 *    default 10), each build's time as OpenShift records it (status.duration); every one must complete.
 *
 * Each run uses a fresh emulator in a child process, so that its peak memory is its own.
 * Options: --builds <n> (default 50), --lines <n,n,…> (default 100000,1000000,3000000), --real-builds <n> (0: skip).
 */
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { startCluster } from '../src/index.js'
import { decideBuilds } from '../src/images/real/tools.js'
import type { ReactorHost, ReactorResult } from '../src/reactor/host.js'
import { buildConfigBody, call, makeGitRepo } from '../testing/client.js'

const B = '/apis/build.openshift.io/v1/namespaces/osbs'
const self = fileURLToPath(import.meta.url)

/** A build pod that writes `n` atomic-reactor style lines as fast as the host takes them. */
function logSpewer(n: number) {
  return async (host: ReactorHost): Promise<ReactorResult> => {
    const ts = '2026-01-01 00:00:00,000'
    for (let i = 1; i <= n; i++) {
      host.log(`${ts} platform:- - atomic_reactor.plugins.docker_api - INFO - build step output line ${i} of ${n}`)
      if (i % 2000 === 0) await host.pace()
    }
    return { success: true }
  }
}

/** Child process: serve a cluster and report max RSS on SIGTERM. */
async function serve(mode: string, n: number): Promise<void> {
  const real = mode === 'real'
  const cluster = await startCluster({ port: 0, reactor: mode === 'log' ? logSpewer(n) : undefined, podStartDelay: 1, logWaitSeconds: 60, builds: real ? 'real' : 'simulated' })
  if (real) await cluster.publishImage('osbs', 'fedora', 'latest')
  process.stdout.write(`${JSON.stringify({ url: cluster.url, token: cluster.token, registry: cluster.registryHosts['registry'] })}\n`)
  process.on('SIGTERM', () => {
    const maxRSS = process.resourceUsage().maxRSS * 1024
    const { heapUsed, heapTotal } = process.memoryUsage()
    void cluster.close().finally(() => {
      process.stdout.write(`${JSON.stringify({ maxRSS, heapUsed, heapTotal })}\n`)
      process.exit(0)
    })
  })
}

interface Memory {
  maxRSS: number
  heapUsed: number
  heapTotal: number
}

interface Child {
  url: string
  token: string
  registry?: string
  stop(): Promise<Memory>
}

async function startChild(mode: string, n: number): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve', mode, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines: string[] = []
  let buf = ''
  let wake = () => {}
  child.stdout!.on('data', (c: Buffer) => {
    buf += c.toString()
    let i: number
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i))
      buf = buf.slice(i + 1)
    }
    wake()
  })
  const next = async (): Promise<any> => {
    while (!lines.length) await new Promise<void>((r) => (wake = r))
    return JSON.parse(lines.shift()!)
  }
  const first = await next()
  return {
    ...first,
    async stop() {
      child.kill('SIGTERM')
      return (await next()) as Memory
    }
  }
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`
const mem = (m: Memory) => `emulator peak memory ${mb(m.maxRSS)} (JS heap at the end: ${mb(m.heapUsed)} used of ${mb(m.heapTotal)})`

async function benchBuilds(count: number): Promise<void> {
  const child = await startChild('builds', 0)
  const repo = makeGitRepo()
  const plugins = {
    client_version: 'bench',
    prebuild_plugins: [{ name: 'add_labels_in_dockerfile', args: { labels: {} } }],
    postbuild_plugins: [{ name: 'tag_by_labels' }, { name: 'tag_and_push', args: { registries: { 'registry.example.com:5000': { insecure: true } } } }],
    exit_plugins: [{ name: 'store_metadata_in_osv3', args: { url: child.url, verify_ssl: false, use_auth: false } }, { name: 'remove_built_image' }]
  }
  for (let i = 0; i < count; i++) {
    const bc = buildConfigBody(`bench-${i}`, { gitUri: repo, plugins })
    bc.spec.output.to.name = `registry.example.com:5000/bench/app-${i}:unique-${i}`
    await call(child, 'POST', `${B}/buildconfigs`, { body: bc })
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: count }, (_, i) => call(child, 'POST', `${B}/buildconfigs/bench-${i}/instantiate`, { body: { metadata: { name: `bench-${i}` } } })))
  let phases: string[] = []
  for (;;) {
    const list = await call(child, 'GET', `${B}/builds`)
    phases = list.body.items.map((b: any) => b.status.phase)
    if (phases.length === count && phases.every((p) => ['Complete', 'Failed', 'Error', 'Cancelled'].includes(p))) break
    await new Promise((r) => setTimeout(r, 20))
  }
  const seconds = (performance.now() - t0) / 1000
  const m = await child.stop()
  const complete = phases.filter((p) => p === 'Complete').length
  console.log(`builds: ${count} at once, ${complete} Complete in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(1)} builds/s; ${mem(m)}`)
  if (complete !== count) throw new Error(`only ${complete} of ${count} builds completed: ${phases.join(', ')}`)
}

/** Start builds of BuildConfigs `names` at once; wait for all to end; the builds as the API lists them. */
async function runAtOnce(child: Child, names: string[]): Promise<{ seconds: number; builds: any[] }> {
  const t0 = performance.now()
  const started = await Promise.all(names.map((n) => call(child, 'POST', `${B}/buildconfigs/${n}/instantiate`, { body: { metadata: { name: n } } })))
  const wanted = new Set(started.map((r) => r.body.metadata.name as string))
  for (;;) {
    const list = await call(child, 'GET', `${B}/builds`)
    const builds = list.body.items.filter((b: any) => wanted.has(b.metadata.name))
    if (builds.length === wanted.size && builds.every((b: any) => ['Complete', 'Failed', 'Error', 'Cancelled'].includes(b.status.phase))) {
      return { seconds: (performance.now() - t0) / 1000, builds }
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function benchRealBuilds(count: number): Promise<void> {
  const child = await startChild('real', 0)
  try {
    const repo = makeGitRepo({ Dockerfile: 'FROM fedora:latest\nLABEL name="bench/app" version="1.0" com.redhat.component="app"\nRUN echo built > /built && seq 3\n' })
    const plugins = {
      client_version: 'bench',
      prebuild_plugins: [{ name: 'pull_base_image', args: { parent_registry: child.registry, parent_registry_insecure: true } }],
      postbuild_plugins: [
        { name: 'tag_by_labels', args: { unique_tag_only: true } },
        { name: 'tag_and_push', args: { registries: { [child.registry!]: { insecure: true } } } }
      ],
      exit_plugins: [{ name: 'store_metadata_in_osv3', args: { url: child.url, verify_ssl: false, use_auth: false } }, { name: 'remove_built_image' }]
    }
    const names = ['real-alone', ...Array.from({ length: count }, (_, i) => `real-${i}`)]
    for (const name of names) {
      const bc = buildConfigBody(name, { gitUri: repo, plugins })
      bc.spec.output.to.name = `${child.registry}/bench/app:unique-${name}`
      await call(child, 'POST', `${B}/buildconfigs`, { body: bc })
    }
    const seconds = (b: any) => Number(b.status.duration ?? 0) / 1e9
    const alone = await runAtOnce(child, names.slice(0, 1))
    console.log(`real builds: one alone ${alone.builds[0].status.phase} in ${seconds(alone.builds[0]).toFixed(1)} s (build time)`)
    const many = await runAtOnce(child, names.slice(1))
    const complete = many.builds.filter((b) => b.status.phase === 'Complete')
    const times = many.builds.map(seconds).sort((a, b) => a - b)
    console.log(
      `real builds: ${count} at once, ${complete.length} Complete in ${many.seconds.toFixed(1)} s; build time per build ` +
        `min ${times[0]!.toFixed(1)} s, median ${times[Math.floor(times.length / 2)]!.toFixed(1)} s, max ${times[times.length - 1]!.toFixed(1)} s`
    )
    if (complete.length !== count) {
      for (const b of many.builds.filter((x) => x.status.phase !== 'Complete')) {
        const log = await call(child, 'GET', `${B}/builds/${b.metadata.name}/log`)
        console.log(
          `${b.metadata.name} ${b.status.phase}:\n${log.text
            .split('\n')
            .filter((l) => / - ERROR - /.test(l))
            .slice(0, 3)
            .join('\n')}`
        )
      }
      throw new Error(`only ${complete.length} of ${count} real builds completed`)
    }
  } finally {
    await child.stop()
  }
}

/** Follow a build log, counting lines without keeping them. */
function follow(child: Child, build: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${B}/builds/${build}/log?follow=true&timestamps=true`, child.url)
    const req = request(url, { headers: { Authorization: `Bearer ${child.token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`log: HTTP ${res.statusCode}`))
      let lines = 0
      res.on('data', (c: Buffer) => {
        for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++
      })
      res.on('end', () => resolve(lines))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

async function benchLog(n: number): Promise<Memory> {
  const child = await startChild('log', n)
  await call(child, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('log') })
  const t0 = performance.now()
  await call(child, 'POST', `${B}/buildconfigs/log/instantiate`, { body: { metadata: { name: 'log' } } })
  const lines = await follow(child, 'log-1')
  const seconds = (performance.now() - t0) / 1000
  const m = await child.stop()
  console.log(`log: ${n.toLocaleString('en')} lines followed in ${seconds.toFixed(2)} s = ${Math.round(lines / seconds).toLocaleString('en')} lines/s; ${mem(m)}`)
  if (lines !== n) throw new Error(`received ${lines} lines, expected ${n}`)
  return m
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  if (args[0] === '--serve') return serve(args[1]!, Number(args[2]))
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(name)
    return i >= 0 ? args[i + 1]! : dflt
  }
  const builds = Number(opt('--builds', '50'))
  const sizes = opt('--lines', '100000,1000000,3000000').split(',').map(Number)
  const realBuilds = Number(opt('--real-builds', '10'))
  await benchBuilds(builds)
  if (realBuilds > 0) {
    const decision = decideBuilds('auto')
    if (decision.mode === 'real') await benchRealBuilds(realBuilds)
    else console.log(`real builds: skipped (${decision.notice})`)
  }
  const peaks: Array<[number, Memory]> = []
  for (const n of sizes) peaks.push([n, await benchLog(n)])
  if (peaks.length >= 2) {
    const line = peaks.map(([n, m]) => `${n.toLocaleString('en')} lines → ${mb(m.maxRSS)}`).join(', ')
    console.log(`memory: ${line}`)
    // The first runs include the JS heap growing to its working size under the log's allocation rate; from there
    // on, a longer log may not cost more memory: compare the two longest runs.
    const [a, b] = [peaks[peaks.length - 2]!, peaks[peaks.length - 1]!]
    const growth = b[1].maxRSS - a[1].maxRSS
    console.log(`memory: ${a[0].toLocaleString('en')} → ${b[0].toLocaleString('en')} lines: ${growth >= 0 ? '+' : ''}${mb(growth)} peak`)
    if (growth > 32 * 1024 * 1024) {
      console.log('memory grows with the log length')
      process.exitCode = 1
    }
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
