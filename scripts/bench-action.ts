/**
 * `npm run bench:action [-- 1000 100000 1000000]`: stream big build logs through the bundled action and print
 * its throughput (build log lines per second into the job log) and its peak memory.
 *
 * For each size N the local OpenShift builds a Dockerfile with `RUN seq N` (N log lines, written as fast as the
 * emulated build can), and `node dist/index.js` follows the log as a runner would run it; this script reads the
 * action's stdout like the runner does. Baselines from the same run:
 * - throughput: the same log read back in one plain GET (no follow, no parsing) — the ratio is what following,
 *   de-duplicating, grouping and printing cost;
 * - memory: the peak RSS of the smallest run — a flat memory means the same peak for 100k and 1M lines.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startCluster } from '../emulator/src/index.js'
import { Cluster } from '../src/cluster.js'
import { DEFAULT_INPUTS, readRunnerFiles, runnerEnv, runnerFiles } from '../__fixtures__/e2e/action.js'
import { makeRepo } from '../__fixtures__/e2e/git.js'

const root = path.resolve(import.meta.dirname, '..')
const bundle = path.join(root, 'dist', 'index.js')
const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0)
if (!sizes.length) sizes.push(1_000, 100_000, 1_000_000)

/** Peak resident set size of a process so far (Linux: VmHWM), in bytes. */
function peakRss(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

interface Result {
  lines: number
  seen: number
  wallSeconds: number
  streamSeconds: number
  actionRate: number
  rawRate: number
  peak?: number
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'osbs-bench-'))
  const cluster = await startCluster({ port: 0, logWaitSeconds: 2 })
  const api = Cluster.fromSettings({ server: cluster.url, token: cluster.token, insecureSkipTlsVerify: false }, { namespace: cluster.namespace, env: {} })
  const results: Result[] = []
  try {
    console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}`)
    for (const lines of sizes) {
      const repo = makeRepo(path.join(work, `seq-${lines}`), {
        Dockerfile: `FROM fedora:latest\nLABEL name="bench/seq${lines}" version="1.0" com.redhat.component="seq${lines}"\nRUN seq ${lines}\n`
      })
      const dir = path.join(work, `run-${lines}`)
      mkdirSync(dir)
      const files = runnerFiles(dir)
      const env = runnerEnv(
        { workspace: repo.dir, home: dir, files, repository: `bench/seq${lines}`, sha: repo.commit, ref: `refs/heads/${repo.branch}` },
        {
          ...DEFAULT_INPUTS,
          'openshift-server': cluster.url,
          'openshift-token': cluster.token,
          namespace: cluster.namespace,
          'git-uri': repo.uri,
          'registry-uri': 'registry.example.com/v2',
          'timeout-minutes': '60'
        },
        { env: process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {} }
      )

      const started = performance.now()
      let first: number | undefined
      let last = 0
      let seen = 0
      let peak: number | undefined
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [bundle], { cwd: repo.dir, env, stdio: ['ignore', 'pipe', 'inherit'] })
        const poll = setInterval(() => {
          const p = peakRss(child.pid!)
          if (p !== undefined) peak = Math.max(peak ?? 0, p)
        }, 25)
        let partial = ''
        const seqLine = /atomic_reactor\.util - DEBUG - \d+$/
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          const parts = (partial + chunk).split('\n')
          partial = parts.pop() ?? ''
          for (const line of parts)
            if (seqLine.test(line)) {
              seen++
              const now = performance.now()
              first ??= now
              last = now
            }
        })
        child.on('close', (c) => {
          clearInterval(poll)
          resolve(c)
        })
      })
      const wallSeconds = (performance.now() - started) / 1000
      if (code !== 0) throw new Error(`the action failed (exit code ${code}) for ${lines} lines`)
      const build = readRunnerFiles(files).outputs['build-name']

      // baseline: the same log in one plain GET
      const rawStart = performance.now()
      let rawLines = 0
      for await (const chunk of await api.buildLog(build, {})) for (const byte of chunk) if (byte === 10) rawLines++
      const rawSeconds = (performance.now() - rawStart) / 1000
      const streamSeconds = first !== undefined ? (last - first) / 1000 : 0
      results.push({
        lines,
        seen,
        wallSeconds,
        streamSeconds,
        actionRate: streamSeconds > 0 ? seen / streamSeconds : 0,
        rawRate: rawSeconds > 0 ? rawLines / rawSeconds : 0,
        peak
      })
      const r = results[results.length - 1]
      console.log(
        `${lines.toLocaleString('en-US').padStart(9)} lines: ${r.seen === lines ? 'all' : `${r.seen} of`} ${lines.toLocaleString('en-US')} seq lines in the job log, ` +
          `${Math.round(r.actionRate).toLocaleString('en-US')} lines/s, peak RSS ${r.peak ? (r.peak / 2 ** 20).toFixed(1) + ' MiB' : 'n/a'}, step ${wallSeconds.toFixed(1)} s`
      )
    }
  } finally {
    await api.close()
    await cluster.close()
    rmSync(work, { recursive: true, force: true })
  }

  const mib = (b?: number) => (b ? (b / 2 ** 20).toFixed(1) : 'n/a')
  console.log('\n| build log lines | lines/s through the action | plain GET lines/s | action / plain GET | action peak RSS (MiB) | step wall time (s) |')
  console.log('|---:|---:|---:|---:|---:|---:|')
  for (const r of results)
    console.log(
      `| ${r.lines.toLocaleString('en-US')} | ${Math.round(r.actionRate).toLocaleString('en-US')} | ${Math.round(r.rawRate).toLocaleString('en-US')} | ${
        r.rawRate ? (r.actionRate / r.rawRate).toFixed(2) : 'n/a'
      } | ${mib(r.peak)} | ${r.wallSeconds.toFixed(1)} |`
    )
  const smallest = results[0]
  const largest = results[results.length - 1]
  if (smallest.peak && largest.peak && results.length > 1)
    console.log(
      `\nPeak memory: ${largest.lines.toLocaleString('en-US')} lines / ${smallest.lines.toLocaleString('en-US')} lines = ${(largest.peak / smallest.peak).toFixed(2)}` +
        (results.length > 2
          ? `; ${largest.lines.toLocaleString('en-US')} / ${results[results.length - 2].lines.toLocaleString('en-US')} = ${(largest.peak / results[results.length - 2].peak!).toFixed(2)}`
          : '')
    )
  if (results.some((r) => r.seen !== r.lines)) {
    console.error('Some log lines did not reach the job log')
    process.exitCode = 1
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
