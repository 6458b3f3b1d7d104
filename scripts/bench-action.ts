/**
 * `npm run bench:action [-- 100000 1000000]`: the bundled action against its yardsticks, all in one run.
 *
 * The local OpenShift runs in a process of its own (`npm run cluster`). For each size N, three followers each
 * follow a live build of the same kind (`RUN seq N`: N log lines, written as fast as the emulated build can),
 * started right before it is followed:
 * - the action (`node dist/index.js`, as a runner starts it: it creates the BuildConfig, starts the build and
 *   streams the log into its stdout, the job log);
 * - `curl -sN` of `builds/<name>/log?follow=true&timestamps=true` (a bare Node `http.get` when there is no curl);
 * - `kubectl get --raw` of the same URL (skipped when there is no kubectl).
 * Each one's stdout is read here, as the runner reads the job log. Printed for each: throughput (seq lines per second
 * between the first and the last), line latency p50/p99 (arrival here minus the line's own timestamp, which the
 * emulated atomic-reactor writes when it logs the line) and peak RSS (`/usr/bin/time`, else the /proc high-water
 * mark) and CPU time (user + system, `/usr/bin/time`). Then the start: a dry run and an idle post step against `node -e 0`, spawn → first request against a bare
 * Node GET; and the requests of the action's run (from the emulator's request log).
 *
 * The builds are simulated (`--builds simulated`: the emulated atomic-reactor writes the `seq` lines itself), so the
 * benchmark runs the same anywhere, with or without buildah and a network; `BENCH_BUILDS=real|auto` chooses
 * otherwise. The local OpenShift's own resident memory is sampled while each log is followed.
 *
 * Figures are from one run on a shared machine: read the ratios, which pair each figure with its yardstick.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { sequentialRoundTrips, type RequestEntry } from '../emulator/src/server/requests.js'
import { DEFAULT_INPUTS, readRunnerFiles, runnerEnv, runnerFiles } from '../__fixtures__/e2e/action.js'
import { makeRepo } from '../__fixtures__/e2e/git.js'

const root = path.resolve(import.meta.dirname, '..')
const bundle = process.env.BENCH_BUNDLE ?? path.join(root, 'dist', 'index.js')
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0)
if (!sizes.length) sizes.push(100_000, 1_000_000, 3_000_000)
const builds = process.env.BENCH_BUILDS ?? 'simulated'
const work = mkdtempSync(path.join(os.tmpdir(), 'osbs-bench-'))
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
const mib = (bytes?: number): string => (bytes ? (bytes / 2 ** 20).toFixed(1) : 'n/a')
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

interface Emulator {
  server: string
  token: string
  namespace: string
  kubeconfig: string
  pid: number
  stop(): Promise<void>
}

/** The local OpenShift in a process of its own. */
async function startEmulator(): Promise<Emulator> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'emulator/src/cluster/cli.ts'), '--port', '0', '--log-wait-seconds', '60', '--builds', builds], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const line = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      text += d
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')))
    })
    child.on('exit', (code) => reject(new Error(`the local OpenShift ended (${code}) before it was ready`)))
  })
  const info = JSON.parse(line)
  return {
    ...info,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('close', () => resolve())
        child.kill('SIGTERM')
      })
  }
}

async function api(emulator: Emulator, method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(emulator.server + url, {
    method,
    headers: { Authorization: `Bearer ${emulator.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** `2026-01-01 12:00:00,123` (local time, as Python's asctime) in ms since the epoch. */
function asctimeMs(text: string, at: number): number {
  const y = Number(text.slice(at, at + 4))
  const mo = Number(text.slice(at + 5, at + 7))
  const d = Number(text.slice(at + 8, at + 10))
  const h = Number(text.slice(at + 11, at + 13))
  const mi = Number(text.slice(at + 14, at + 16))
  const s = Number(text.slice(at + 17, at + 19))
  const ms = Number(text.slice(at + 20, at + 23))
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime()
}

interface Followed {
  lines: number
  seconds: number
  p50: number
  p99: number
  peak?: number
  /** user + system CPU seconds (`/usr/bin/time`) */
  cpu?: number
  code: number | null
  stdout?: string
}

const SEQ = / platform:\S* - atomic_reactor\.util - DEBUG - \d+$/
const ASCTIME = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} platform:/

/** Run a follower and read its stdout as the runner reads the job log: seq lines, their latency, the peak RSS. */
async function follow(command: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; keep?: boolean; expected: number }): Promise<Followed> {
  const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`)
  const argv = TIME ? [TIME, '-f', '%M %U %S', '-o', rssFile, ...command] : command
  const latencies = new Float64Array(options.expected)
  let seen = 0
  let first = 0
  let last = 0
  let partial = ''
  let kept = ''
  let hwm = 0
  const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'inherit'] })
  const poll = TIME ? undefined : setInterval(() => (hwm = Math.max(hwm, procPeak(child.pid!) ?? 0)), 25)
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const now = Date.now()
    const text = partial + chunk
    let start = 0
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl)
      start = nl + 1
      if (SEQ.test(line)) {
        const at = line.search(ASCTIME)
        if (seen < latencies.length) latencies[seen] = now - asctimeMs(line, at)
        seen++
        if (!first) first = performance.now()
        last = performance.now()
      } else if (options.keep) kept += line + '\n'
    }
    partial = text.slice(start)
  })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  if (poll) clearInterval(poll)
  const [kb, user, system] = TIME ? readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : []
  const peak = TIME ? kb! * 1024 || undefined : hwm || undefined
  const cpu = TIME ? user! + system! : undefined
  const sorted = latencies.subarray(0, Math.min(seen, latencies.length)).sort()
  const pick = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
  return { lines: seen, seconds: (last - first) / 1000, p50: pick(0.5), p99: pick(0.99), peak, cpu, code, stdout: options.keep ? kept + partial : undefined }
}

function procPeak(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

interface Round {
  lines: number
  rows: { name: string; result: Followed }[]
  /** The local OpenShift's largest resident memory while the logs were followed. */
  emulatorRss?: number
}

/** The largest VmRSS of `pid` while `work` runs, sampled every 50 ms. */
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

interface RequestCount {
  run: string
  total: number
  /** sequential round trips up to the instantiate (included) */
  before: number
  after: string[]
}

function shortRequest(entry: RequestEntry): string {
  const url = new URL(entry.url, 'http://local')
  return `${entry.method} ${decodeURIComponent(url.pathname.replace(/^\/apis?\/([^/]+\/)?v1\/(namespaces\/[^/]+\/)?/, ''))}`
}

/** A checkout whose build logs `lines` lines, and the step's environment to run the action on it. */
function actionRun(emulator: Emulator, name: string, lines: number) {
  const dir = path.join(work, name)
  const repo = makeRepo(path.join(dir, 'checkout'), {
    Dockerfile: `FROM fedora:latest\nLABEL name="bench/${name}" version="1.0" com.redhat.component="${name}"\nRUN seq ${lines}\n`
  })
  const files = runnerFiles(dir)
  const env = runnerEnv(
    { workspace: repo.dir, home: dir, files, repository: `bench/${name}`, sha: repo.commit, ref: `refs/heads/${repo.branch}` },
    {
      ...DEFAULT_INPUTS,
      'openshift-server': emulator.server,
      'openshift-token': emulator.token,
      namespace: emulator.namespace,
      'git-uri': repo.uri,
      'registry-uri': 'registry.example.com/v2',
      'timeout-minutes': '60'
    },
    { env: process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {} }
  )
  return { repo, env, files }
}

/**
 * The requests of a first and a second run (BuildConfig created, then updated), from the emulator's request log.
 * Every answer is held back 250 ms meanwhile: the emulator answers at once otherwise, and requests sent together
 * would look one after another.
 */
async function countRequests(emulator: Emulator): Promise<RequestCount[]> {
  const { repo, env } = actionRun(emulator, 'requests', 3)
  const { id } = await api(emulator, 'POST', '/_emulator/faults', { kind: 'delay', ms: 250, count: -1 })
  const counts: RequestCount[] = []
  try {
    for (const run of ['first run (BuildConfig created)', 'second run (BuildConfig updated)']) {
      await api(emulator, 'DELETE', '/_emulator/requests')
      const code = spawnSync(process.execPath, [bundle], { cwd: repo.dir, env, stdio: 'ignore' }).status
      if (code !== 0) throw new Error(`the action failed (exit code ${code}) in the ${run}`)
      const { requests: log } = (await api(emulator, 'GET', '/_emulator/requests')) as { requests: RequestEntry[] }
      const start = log.find((e) => e.method === 'POST' && e.url.endsWith('/instantiate'))!
      counts.push({
        run,
        total: log.length,
        before: sequentialRoundTrips(log.filter((e) => e.sent <= start.sent)),
        after: log.filter((e) => e.sent > start.sent).map(shortRequest)
      })
    }
  } finally {
    await api(emulator, 'DELETE', `/_emulator/faults/${id}`)
  }
  return counts
}

/** The action's run for N lines, then curl and kubectl following builds of the same BuildConfig. */
async function round(emulator: Emulator, lines: number): Promise<Round> {
  const { repo, env, files } = actionRun(emulator, `seq${lines}`, lines)
  const action = await follow([process.execPath, bundle], { cwd: repo.dir, env, expected: lines })
  if (action.code !== 0) throw new Error(`the action failed (exit code ${action.code}) for ${lines} lines`)
  const bc = readRunnerFiles(files).outputs['build-config']!
  const rows = [{ name: 'action', result: action }]

  const logUrl = async (): Promise<string> => {
    const build = await api(emulator, 'POST', `/apis/build.openshift.io/v1/namespaces/${emulator.namespace}/buildconfigs/${bc}/instantiate`, {
      kind: 'BuildRequest',
      apiVersion: 'build.openshift.io/v1',
      metadata: { name: bc }
    })
    return `/apis/build.openshift.io/v1/namespaces/${emulator.namespace}/builds/${build.metadata.name}/log?follow=true&timestamps=true`
  }
  const plainGet = has('curl')
    ? (url: string) => ['curl', '-sSN', '-H', `Authorization: Bearer ${emulator.token}`, emulator.server + url]
    : (url: string) => [
        process.execPath,
        '-e',
        `require('http').get(process.argv[1], { headers: { Authorization: 'Bearer ${emulator.token}' } }, (r) => r.pipe(process.stdout))`,
        emulator.server + url
      ]
  rows.push({ name: has('curl') ? 'curl -N' : 'node http.get', result: await follow(plainGet(await logUrl()), { expected: lines }) })
  if (has('kubectl'))
    rows.push({
      name: 'kubectl get --raw',
      result: await follow(['kubectl', '--kubeconfig', emulator.kubeconfig, 'get', '--raw', await logUrl()], { expected: lines })
    })
  return { lines, rows }
}

/** Wall time and peak RSS of one process run to its end. */
function timed(command: string[], env: NodeJS.ProcessEnv, cwd: string): { ms: number; peak?: number } {
  const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`)
  const started = performance.now()
  spawnSync(TIME ?? command[0]!, TIME ? ['-f', '%M', '-o', rssFile, ...command] : command.slice(1), { env, cwd, stdio: 'ignore' })
  const ms = performance.now() - started
  return { ms, peak: TIME ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024 : undefined }
}

/** Milliseconds from spawn to the first request at a local server (the process is killed then). */
async function toFirstRequest(command: string[], env: NodeJS.ProcessEnv, cwd: string, server: { next: () => Promise<void> }): Promise<number> {
  const started = performance.now()
  const child = spawn(command[0]!, command.slice(1), { env, cwd, stdio: 'ignore' })
  await server.next()
  const ms = performance.now() - started
  child.kill('SIGKILL')
  await new Promise((resolve) => child.on('close', resolve))
  return ms
}

async function coldStart(): Promise<string[]> {
  const dir = path.join(work, 'start')
  const checkout = path.join(dir, 'checkout')
  mkdirSync(checkout, { recursive: true })
  const repo = makeRepo(checkout, { Dockerfile: 'FROM fedora:latest\nLABEL name="bench/start" version="1.0"\n' })
  const files = runnerFiles(dir)
  const context = { workspace: repo.dir, home: dir, files, repository: 'bench/start', sha: repo.commit, ref: `refs/heads/${repo.branch}` }
  let onRequest: (() => void) | undefined
  const server = http.createServer((_req, res) => {
    onRequest?.()
    res.writeHead(503).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const next = () => new Promise<void>((resolve) => (onRequest = () => ((onRequest = undefined), resolve())))
  const inputs = { ...DEFAULT_INPUTS, namespace: 'bench', 'registry-uri': 'registry.example.com/v2', 'openshift-server': url, 'openshift-token': 'bench' }
  const dry = runnerEnv(context, { ...inputs, 'dry-run': 'true' })
  const live = runnerEnv(context, inputs)
  const post = runnerEnv(context, {}, { state: { isPost: 'true' } })
  const node = process.execPath
  const runs = 7
  const dryMs: number[] = []
  const zeroMs: number[] = []
  const postMs: number[] = []
  const firstMs: number[] = []
  const getMs: number[] = []
  const peaks = { dry: 0, post: 0, zero: 0 }
  for (let i = 0; i <= runs; i++) {
    const d = timed([node, bundle], dry, repo.dir)
    const z = timed([node, '-e', '0'], dry, repo.dir)
    const p = timed([node, bundle], post, repo.dir)
    const a = await toFirstRequest([node, bundle], live, repo.dir, { next })
    const g = await toFirstRequest([node, '-e', `require('http').get('${url}/apis/build.openshift.io/v1', (r) => r.resume())`], live, repo.dir, { next })
    if (i === 0) continue // warm-up
    dryMs.push(d.ms)
    zeroMs.push(z.ms)
    postMs.push(p.ms)
    firstMs.push(a)
    getMs.push(g)
    peaks.dry = Math.max(peaks.dry, d.peak ?? 0)
    peaks.post = Math.max(peaks.post, p.peak ?? 0)
    peaks.zero = Math.max(peaks.zero, z.peak ?? 0)
  }
  server.close()
  const ratio = (a: number[], b: number[]) => (median(a) / median(b)).toFixed(2)
  return [
    `| dry run | ${median(dryMs).toFixed(0)} ms, peak RSS ${mib(peaks.dry)} MiB | \`node -e 0\` ${median(zeroMs).toFixed(0)} ms, ${mib(peaks.zero)} MiB | ${ratio(dryMs, zeroMs)}× |`,
    `| post step, nothing to do | ${median(postMs).toFixed(0)} ms, peak RSS ${mib(peaks.post)} MiB | \`node -e 0\` ${median(zeroMs).toFixed(0)} ms | ${ratio(postMs, zeroMs)}× |`,
    `| spawn → first request at the server | ${median(firstMs).toFixed(0)} ms | bare Node GET ${median(getMs).toFixed(0)} ms | ${ratio(firstMs, getMs)}× |`
  ]
}

/** Bytes of the bundle's JavaScript (its folder and sub-folders, without the source maps). */
function bundleSize(dir = path.dirname(bundle)): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) total += bundleSize(file)
    else if (entry.name.endsWith('.js')) total += statSync(file).size
  }
  return total
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}; bundle ${path.relative(root, bundle)}; builds ${builds}`)
  const emulator = await startEmulator()
  const rounds: Round[] = []
  let requests: RequestCount[] = []
  try {
    requests = await countRequests(emulator)
    for (const lines of sizes) {
      const [r, rss] = await sampledRss(emulator.pid, () => round(emulator, lines))
      rounds.push({ ...r, emulatorRss: rss })
      console.log(`${lines.toLocaleString('en-US')} lines done`)
    }
  } finally {
    await emulator.stop()
  }
  const start = await coldStart()
  rmSync(work, { recursive: true, force: true })

  console.log('\n| build log lines | follower | lines/s | / curl | p50 latency (ms) | p99 latency (ms) | peak RSS (MiB) | CPU s |')
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|')
  for (const r of rounds) {
    const curl = r.rows[1]!.result
    const curlRate = curl.lines / curl.seconds
    for (const { name, result } of r.rows) {
      const rate = result.lines / result.seconds
      const missing = result.lines === r.lines ? '' : ` (${result.lines} of ${r.lines} lines)`
      console.log(
        `| ${r.lines.toLocaleString('en-US')} | ${name}${missing} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / curlRate).toFixed(2)} | ` +
          `${result.p50.toFixed(0)} | ${result.p99.toFixed(0)} | ${mib(result.peak)} | ${result.cpu?.toFixed(2) ?? 'n/a'} |`
      )
    }
  }
  console.log("\n| build log lines | the local OpenShift's peak RSS while following (MiB) |")
  console.log('|---:|---:|')
  for (const r of rounds) console.log(`| ${r.lines.toLocaleString('en-US')} | ${mib(r.emulatorRss)} |`)
  console.log('\n| start | the action | baseline | ratio |')
  console.log('|---|---:|---:|---:|')
  for (const row of start) console.log(row)
  console.log(`\ndist/ JavaScript without the source maps: ${(bundleSize() / 1e6).toFixed(2)} MB`)
  for (const r of requests)
    console.log(`requests of a ${r.run}: ${r.total} in all; ${r.before} sequential round trips up to the build's start (instantiate included); ` + `after it: ${r.after.join(', ')}`)
  if (rounds.some((r) => r.rows.some((row) => row.result.lines !== r.lines))) {
    console.error('Some log lines did not arrive')
    process.exitCode = 1
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error)
  rmSync(work, { recursive: true, force: true })
  process.exit(1)
})
