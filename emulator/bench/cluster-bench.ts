/**
 * Benchmark of the local OpenShift (not a test): `npm run bench:emulator`. Builds are simulated, so that it runs the
 * same anywhere; `BENCH_BUILDS=real|auto` adds the real builds.
 *
 * 1. 50 builds at once, each a run of the emulated atomic-reactor (git clone of a local repository, build, push to
 *    an in-memory registry, metadata): builds/s.
 * 2. Followed build logs of 100,000, 1,000,000 and 3,000,000 lines (a simulated build of `RUN seq N`, followed with
 *    `follow=true&timestamps=true`), one after the other on one local OpenShift as a cluster serves build after
 *    build: log lines/s, and its resident memory while each is followed, which must not grow with the log's length.
 * 3. With BENCH_BUILDS=real (or auto, where buildah, docker-registry and busybox-static are installed): real builds
 *    (buildah bud of a Dockerfile with a RUN step on a base image of the cluster, push to its registry): one alone,
 *    then n at once (--real-builds, default 10), each build's time as OpenShift records it (status.duration); every
 *    one must complete.
 * Then the JavaScript of dist/ without its source maps.
 *
 * The emulator runs in a child process, so that its memory is its own.
 * Options: --builds <n> (default 50), --lines <n,n,…> (default 100000,1000000,3000000), --real-builds <n> (0: skip).
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { cpus, platform } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCluster } from '../src/index.js'
import { decideBuilds } from '../src/images/real/tools.js'
import { buildConfigBody, call, makeGitRepo } from '../testing/client.js'

const B = '/apis/build.openshift.io/v1/namespaces/osbs'
const self = fileURLToPath(import.meta.url)

/** Child process: serve a cluster and report max RSS on SIGTERM. */
async function serve(mode: string): Promise<void> {
  const real = mode === 'real'
  const cluster = await startCluster({ port: 0, podStartDelay: 1, logWaitSeconds: 60, builds: real ? 'real' : 'simulated' })
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
  pid: number
  url: string
  token: string
  registry?: string
  stop(): Promise<Memory>
}

async function startChild(mode: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve', mode], { stdio: ['ignore', 'pipe', 'inherit'] })
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
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM')
      return (await next()) as Memory
    }
  }
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`
const mem = (m: Memory) => `emulator peak memory ${mb(m.maxRSS)} (JS heap at the end: ${mb(m.heapUsed)} used of ${mb(m.heapTotal)})`

async function benchBuilds(count: number): Promise<void> {
  const child = await startChild('simulated')
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
  rmSync(fileURLToPath(repo), { recursive: true, force: true })
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
  const child = await startChild('real')
  let repo: string | undefined
  try {
    repo = makeGitRepo({ Dockerfile: 'FROM fedora:latest\nLABEL name="bench/app" version="1.0" com.redhat.component="app"\nRUN echo built > /built && seq 3\n' })
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
    if (repo) rmSync(fileURLToPath(repo), { recursive: true, force: true })
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

/** The largest VmRSS of `pid` while `work` runs, sampled every 50 ms (Linux; undefined elsewhere). */
async function sampledRss<T>(pid: number, work: () => Promise<T>): Promise<[T, number | undefined]> {
  let peak = 0
  const sample = (): void => {
    try {
      const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (m) peak = Math.max(peak, Number(m[1]) * 1024)
    } catch {
      // not Linux, or the process ended
    }
  }
  const timer = setInterval(sample, 50)
  try {
    return [await work(), peak || undefined]
  } finally {
    clearInterval(timer)
  }
}

/** A simulated build whose Dockerfile runs `seq n` (n log lines, written as fast as the emulated build can), followed. */
async function benchLog(child: Child, n: number): Promise<number | undefined> {
  const name = `seq${n}`
  const repo = makeGitRepo({ Dockerfile: `FROM fedora:latest\nLABEL name="bench/${name}" version="1.0" com.redhat.component="${name}"\nRUN seq ${n}\n` })
  try {
    await call(child, 'POST', `${B}/buildconfigs`, { body: buildConfigBody(name, { gitUri: repo }) })
    const t0 = performance.now()
    const started = await call(child, 'POST', `${B}/buildconfigs/${name}/instantiate`, { body: { metadata: { name } } })
    const [lines, rss] = await sampledRss(child.pid, () => follow(child, started.body.metadata.name))
    const seconds = (performance.now() - t0) / 1000
    // the seq lines, and atomic-reactor's own lines around them
    console.log(
      `log: ${n.toLocaleString('en')} seq lines (${lines.toLocaleString('en')} in all) followed in ${seconds.toFixed(2)} s = ${Math.round(lines / seconds).toLocaleString('en')} lines/s; emulator RSS at most ${rss ? mb(rss) : 'n/a'}`
    )
    if (lines < n) throw new Error(`received ${lines} lines, expected at least ${n}`)
    return rss
  } finally {
    rmSync(fileURLToPath(repo), { recursive: true, force: true })
  }
}

/** Bytes of the bundle's JavaScript (dist/ and its sub-folders, without the source maps). */
function bundleSize(dir = fileURLToPath(new URL('../../dist', import.meta.url))): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name)
    if (entry.isDirectory()) total += bundleSize(file)
    else if (entry.name.endsWith('.js')) total += statSync(file).size
  }
  return total
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  if (args[0] === '--serve') return serve(args[1]!)
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(name)
    return i >= 0 ? args[i + 1]! : dflt
  }
  const builds = Number(opt('--builds', '50'))
  const sizes = opt('--lines', '100000,1000000,3000000').split(',').map(Number)
  const realBuilds = Number(opt('--real-builds', '10'))
  const mode = process.env.BENCH_BUILDS ?? 'simulated'
  console.log(`node ${process.version}, ${cpus().length} CPUs, ${platform()}; builds ${mode}`)
  await benchBuilds(builds)
  if (mode === 'simulated' || realBuilds === 0) console.log('real builds: skipped (BENCH_BUILDS=real or auto runs them)')
  else {
    const decision = decideBuilds(mode === 'real' ? 'real' : 'auto')
    if (decision.mode === 'real') await benchRealBuilds(realBuilds)
    else console.log(`real builds: skipped (${decision.notice})`)
  }
  // One local OpenShift follows every size in turn, as a cluster serving build after build does.
  const child = await startChild('simulated')
  const peaks: Array<[number, number | undefined]> = []
  try {
    for (const n of sizes) peaks.push([n, await benchLog(child, n)])
  } finally {
    const m = await child.stop()
    console.log(`log: ${mem(m)}`)
  }
  console.log(`dist/ JavaScript without the source maps: ${(bundleSize() / 1e6).toFixed(2)} MB`)
  const known = peaks.filter((p): p is [number, number] => p[1] !== undefined)
  if (known.length >= 2) {
    console.log(`memory: ${known.map(([n, rss]) => `${n.toLocaleString('en')} lines → ${mb(rss)}`).join(', ')}`)
    const [least, most] = [Math.min(...known.map((p) => p[1])), Math.max(...known.map((p) => p[1]))]
    console.log(`memory: the largest RSS is ${mb(most - least)} above the smallest`)
    if (most - least > 32 * 1024 * 1024) {
      console.log('memory grows with the log length')
      process.exitCode = 1
    }
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
