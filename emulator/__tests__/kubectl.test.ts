/**
 * `npm run cluster` (SPEC §9.5) driven by kubectl with the kubeconfig it wrote: get, create -f (refused by kubectl's
 * validation against 3.11's OpenAPI document, created with --validate=false), get --watch until
 * a build is Complete, get imagestreams; then SIGTERM ends it with exit code 0.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConfigBody, call, makeGitRepo } from '../testing/client.js'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const work = mkdtempSync(join(tmpdir(), 'kubectl-test-'))
/** git repositories the builds clone (makeGitRepo), removed after the file */
const repos: string[] = []
let proc: ChildProcess
let info: { server: string; token: string; namespace: string; kubeconfig: string; reactor: string }
let stdoutLines: string[] = []

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile('kubectl', ['--kubeconfig', info.kubeconfig, ...args], { env: { ...process.env, HOME: work, KUBECONFIG: '' }, timeout: 30000 }, (err, stdout, stderr) => {
      resolvePromise({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

beforeAll(async () => {
  // its own process group, so that the test can stop npm and everything it started
  proc = spawn('npm', ['run', '--silent', 'cluster', '--', '--port', '0', '--namespace', 'osbs', '--builds', 'simulated'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  proc.stderr!.resume()
  info = await new Promise((resolvePromise, reject) => {
    let buf = ''
    const timer = setTimeout(() => reject(new Error(`no JSON line from npm run cluster; got: ${buf}`)), 30000)
    proc.stdout!.on('data', (c: Buffer) => {
      buf += c.toString()
      const lines = buf.split('\n')
      if (lines.length > 1) {
        clearTimeout(timer)
        stdoutLines = lines.filter((l) => l !== '')
        resolvePromise(JSON.parse(lines[0]!))
      }
    })
    proc.on('exit', (code) => reject(new Error(`npm run cluster exited with ${code}`)))
  })
}, 60000)

afterAll(() => {
  try {
    process.kill(-proc.pid!, 'SIGKILL')
  } catch {
    // already gone
  }
  rmSync(work, { recursive: true, force: true })
  for (const repo of repos) rmSync(repo, { recursive: true, force: true })
})

/**
 * Run the command of `npm run cluster` without npm and sh in between, signal it as soon as it printed its JSON
 * line, and resolve to its exit code and whether it saved its objects to the state dir on the way out.
 */
async function stopWith(signal: NodeJS.Signals): Promise<{ code: number | null; saved: boolean }> {
  const script = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.cluster as string
  const [cmd, ...args] = script.split(/\s+/)
  expect(cmd).toBe('node')
  const stateDir = mkdtempSync(join(work, 'state-'))
  const child = spawn(process.execPath, [...args, '--port', '0', '--state-dir', stateDir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] })
  await new Promise<void>((ready) => child.stdout!.once('data', () => ready()))
  const code = await new Promise<number | null>((done) => {
    child.once('exit', (c) => done(c))
    child.kill(signal)
  })
  return { code, saved: existsSync(join(stateDir, 'objects.json')) }
}

describe('npm run cluster + kubectl', () => {
  it('prints exactly one JSON line with server, token, namespace, kubeconfig, builds, reactor, registries, the Koji hub, the mail server, a yum repository', () => {
    expect(stdoutLines).toHaveLength(1)
    expect(Object.keys(info).sort()).toEqual(['builds', 'kojiHub', 'kojiRoot', 'kubeconfig', 'namespace', 'reactor', 'registries', 'server', 'smtpHost', 'token', 'yumRepo'])
    // without --reactor the build pods run the in-process atomic-reactor
    expect(info.reactor).toBe('emulated')
    expect(info.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(info.token).toMatch(/^\S+$/)
    expect(info.namespace).toBe('osbs')
    expect(info.kubeconfig).toMatch(/kubeconfig$/)
  })

  it('kubectl gets, creates, watches a build to Complete, and lists image streams', async () => {
    const empty = await kubectl('get', 'buildconfigs')
    expect(empty.stderr + empty.stdout).toContain('No resources found')
    expect(empty.code).toBe(0)

    const repo = makeGitRepo()
    repos.push(fileURLToPath(repo))
    const bc = buildConfigBody('kube-app', {
      gitUri: repo,
      plugins: { client_version: 'kubectl-test', prebuild_plugins: [{ name: 'add_labels_in_dockerfile', args: { labels: {} } }], postbuild_plugins: [], exit_plugins: [] }
    })
    const file = join(work, 'bc.json')
    writeFileSync(file, JSON.stringify(bc))
    // 3.11's OpenAPI document marks spec.nodeSelector and status required: kubectl's client-side validation refuses
    // the body as it does against a real 3.11 master; --validate=false creates it
    const refused = await kubectl('create', '-f', file)
    expect([refused.code, refused.stderr.trim()]).toEqual([
      1,
      `error: error validating "${file}": error validating data: [ValidationError(BuildConfig.spec): missing required field "nodeSelector" in com.github.openshift.api.build.v1.BuildConfigSpec, ValidationError(BuildConfig): missing required field "status" in com.github.openshift.api.build.v1.BuildConfig]; if you choose to ignore these errors, turn validation off with --validate=false`
    ])
    const created = await kubectl('create', '-f', file, '--validate=false')
    expect(created.stderr).toBe('')
    expect(created.stdout.trim()).toBe('buildconfig.build.openshift.io/kube-app created')

    const bcs = await kubectl('get', 'buildconfigs')
    expect(bcs.code).toBe(0)
    expect(bcs.stdout).toMatch(/^NAME\s+TYPE\s+FROM\s+LATEST\s*\nkube-app\s+Custom\s+Git\s+0\s*$/)

    const builds = await kubectl('get', 'builds')
    expect(builds.stderr + builds.stdout).toContain('No resources found')

    const watch = spawn('kubectl', ['--kubeconfig', info.kubeconfig, 'get', 'builds', '--watch'], { env: { ...process.env, HOME: work, KUBECONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let seen = ''
    watch.stdout!.on('data', (c: Buffer) => (seen += c.toString()))
    watch.stderr!.resume()
    try {
      const req = join(work, 'req.json')
      writeFileSync(req, JSON.stringify({ kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name: 'kube-app' } }))
      const inst = await kubectl('create', '--raw', `/apis/build.openshift.io/v1/namespaces/osbs/buildconfigs/kube-app/instantiate`, '-f', req)
      expect(inst.code).toBe(0)
      expect(JSON.parse(inst.stdout).metadata.name).toBe('kube-app-1')
      const deadline = Date.now() + 30000
      while (!/kube-app-1\s+Custom\s+Git\s+Complete/.test(seen) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(seen).toMatch(/kube-app-1\s+Custom\s+Git\s+Complete/)
      expect(seen).toMatch(/^NAME\s+TYPE\s+FROM\s+STATUS\s+STARTED\s+DURATION/)
    } finally {
      watch.kill('SIGTERM')
    }

    const after = await kubectl('get', 'builds', 'kube-app-1', '-o', 'jsonpath={.status.phase}')
    expect(after.stdout).toBe('Complete')

    const noIS = await kubectl('get', 'imagestreams')
    expect(noIS.stderr + noIS.stdout).toContain('No resources found')
    const pub = await call({ url: info.server, token: info.token }, 'POST', '/_emulator/images', { body: { imageStream: 'fedora', tag: 'latest' } })
    expect(pub.status).toBe(200)
    const is = await kubectl('get', 'imagestreams')
    expect(is.stdout).toMatch(/^NAME\s+IMAGE REPOSITORY\s+TAGS\s+UPDATED\s*\nfedora\s+docker-registry\.default\.svc:5000\/osbs\/fedora\s+latest\s/)
    const isYaml = await kubectl('get', 'is', 'fedora', '-o', 'json')
    expect(JSON.parse(isYaml.stdout).status.tags[0].items[0].image).toMatch(/^sha256:/)
  }, 90000)

  it('stops on SIGTERM to its process group; the program exits 0 on SIGTERM and on SIGINT', async () => {
    const gone = new Promise<void>((done) => proc.once('exit', () => done()))
    process.kill(-proc.pid!, 'SIGTERM')
    await gone
    expect(await stopWith('SIGTERM')).toEqual({ code: 0, saved: true })
    expect(await stopWith('SIGINT')).toEqual({ code: 0, saved: true })
  }, 30000)
})
