/**
 * osbs-client 0.43 (`../shared/peers/osbs-client`, unchanged) drives the local OpenShift: its `osbs` CLI, run with
 * Debian's /usr/bin/python3 as `../shared/peers/README.md` says, with osbs-client's own `inputs/` as build_json_dir:
 * build (prod), build again on the same branch (the update path), build-logs (-f), watch-build, watch-builds,
 * list-builds, get-build, cancel-build on a running build, import-image (after osbs-client's create_image_stream),
 * get-build-image-id, get-user.
 *
 * The stock prod_inner.json ends its post-build plugins with import_image, and atomic-reactor 1.6.26.3's
 * import_image reads the tags to import from the build step's result annotations, which only orchestrate_build
 * gives: after docker_api (the build step of this list) it creates the ImageStream when missing, then raises
 * 'Could not find primary images in workflow'. So these prod builds run every plugin, push, and end Failed; the
 * exit plugins (store_metadata_in_osv3) still record them, and `osbs build` prints `build … is failed` and exits 0.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeWithPeers, PYTHON_SHIMS } from '../../__fixtures__/peers.js'
import { startCluster, type Cluster } from '../src/index.js'

const PYTHON = '/usr/bin/python3'
const REGISTRY = 'registry.example.com'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

describeWithPeers(['osbs-client', 'dockerfile-parse'], 'osbs-client 0.43 against the local OpenShift', (peers) => {
  let cluster: Cluster
  let work: string
  let conf: string
  let repo: string
  let commit: string
  const children = new Set<ChildProcess>()
  const env = () => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: work,
    PYTHONPATH: [PYTHON_SHIMS, peers['osbs-client'], peers['dockerfile-parse']].join(':'),
    PYTHONDONTWRITEBYTECODE: '1'
  })

  /** Run Debian's python3 to its end, asynchronously: the cluster answers from this very process. */
  function python(args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(PYTHON, args, { cwd: work, env: env(), stdio: ['ignore', 'pipe', 'pipe'] })
      children.add(child)
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d) => (stdout += d))
      child.stderr.on('data', (d) => (stderr += d))
      child.on('close', (code) => {
        children.delete(child)
        resolve({ code, stdout, stderr })
      })
    })
  }

  /** The `osbs` CLI with the test's osbs.conf. */
  const osbs = (...args: string[]): Promise<Run> => python(['-m', 'osbs.cli.main', '--config', conf, '--instance', 'default', ...args])

  /** Say what a failed command printed. */
  const ok = (r: Run): Run => {
    if (r.code !== 0) throw new Error(`osbs exited with ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr.slice(-4000)}`)
    return r
  }

  const build = (...extra: string[]) => osbs('build', '-g', repo, '-b', 'main', '--git-commit', commit, '-u', 'alice', '-c', 'hello', ...extra)
  const phase = (name: string) => cluster.store.get('builds', cluster.namespace, name)?.status?.phase

  beforeAll(async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import requests, six, dateutil'], { encoding: 'utf8' })
    if (probe.status !== 0) {
      throw new Error(
        `${PYTHON} cannot import requests, six and dateutil (${(probe.stderr || String(probe.error)).trim()}): apt-get install python3-requests python3-six python3-dateutil (.ci/run does)`
      )
    }
    work = mkdtempSync(join(tmpdir(), 'osbs-client-test-'))
    cluster = await startCluster({ port: 0, kubeconfig: false })

    // osbs-client's own inputs, unchanged: the stock prod plugins run in the build pod
    const inputs = join(peers['osbs-client'], 'inputs')

    const dir = join(work, 'hello')
    execFileSync('git', ['init', '-q', '-b', 'main', dir])
    writeFileSync(join(dir, 'Dockerfile'), 'FROM fedora:latest\nLABEL name="alice/hello" version="1.0" com.redhat.component="hello"\nRUN echo hello\n')
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], { cwd: dir, encoding: 'utf8' }).trim()
    git('add', '.')
    git('commit', '-q', '-m', 'hello')
    commit = git('rev-parse', 'HEAD')
    repo = `file://${dir}`

    conf = join(work, 'osbs.conf')
    writeFileSync(
      conf,
      [
        '[general]',
        `build_json_dir = ${inputs}`,
        '[default]',
        `openshift_url = ${cluster.url}`,
        `token = ${cluster.token}`,
        `namespace = ${cluster.namespace}`,
        `registry_uri = ${REGISTRY}/v2`,
        'source_registry_uri = registry.fedoraproject.org',
        'build_image = buildroot:latest',
        'use_auth = true',
        'verify_ssl = false',
        'build_type = prod',
        ''
      ].join('\n')
    )
  }, 30000)

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL')
    cluster?.faults.clear()
    await cluster?.close()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  let first = ''
  let second = ''

  it('build (prod): the BuildConfig is created, the build pushes, then fails at import_image; its log is printed', async () => {
    const r = ok(await build())
    const m = /^build (\S+) is failed$/m.exec(r.stdout)
    expect(m).not.toBeNull()
    first = m![1]!
    expect(phase(first)).toBe('Failed')
    expect(r.stdout).toMatch(/ - atomic_reactor\.plugins\.import_image - INFO - Creating ImageStream alice-hello for registry\.fedoraproject\.org\/alice\/hello$/m)
    expect(r.stdout).toMatch(/ - atomic_reactor\.plugins\.import_image - ERROR - Unable to read primary repositories annotations$/m)
    expect(r.stdout).toContain("atomic_reactor.plugin.PluginFailedException: plugin 'import_image' raised an exception: RuntimeError('Could not find primary images in workflow',)")
    expect(r.stdout).not.toContain('build has finished successfully')
    // a failed build's summary lists no repositories
    expect(r.stdout).not.toMatch(/repositories:$/m)
    // tag_and_push ran before: the registry has the tags
    expect(cluster.registries.findRegistry(REGISTRY)!.tags('alice/hello')).toEqual(expect.arrayContaining(['1.0', 'latest']))
    // import_image made the ImageStream of the source registry's repository (osbs-client's imagestream_url)
    const is = cluster.store.get('imagestreams', cluster.namespace, 'alice-hello')!
    expect(is.spec.dockerImageRepository).toBe('registry.fedoraproject.org/alice/hello')
    expect(is.metadata.annotations?.['openshift.io/image.insecureRepository']).toBeUndefined()
    const meta = JSON.parse(cluster.store.get('builds', cluster.namespace, first)!.metadata.annotations!['plugins-metadata']!)
    expect(meta.errors).toEqual({ import_image: "RuntimeError('Could not find primary images in workflow',)" })
    // the write went through with osbs-client's empty Expect header
    expect(cluster.store.list('buildconfigs', cluster.namespace)).toHaveLength(1)
  }, 60000)

  it('build again on the same branch: the BuildConfig is updated (not created again) and build 2 fails the same way', async () => {
    const r = ok(await build())
    second = /^build (\S+) is failed$/m.exec(r.stdout)![1]!
    expect(second).toBe(first.replace(/-1$/, '-2'))
    const bcs = cluster.store.list('buildconfigs', cluster.namespace)
    expect(bcs).toHaveLength(1)
    expect(bcs[0]!.status.lastVersion).toBe(2)
  }, 60000)

  it('list-builds, get-build, build-logs, build-logs -f, watch-build', async () => {
    const list = ok(await osbs('list-builds')).stdout
    expect(list).toMatch(new RegExp(`^ ${first} +\\| failed +\\| alice/hello:1\\.0`, 'm'))
    expect(list).toMatch(new RegExp(`^ ${second} +\\| failed`, 'm'))
    const get = ok(await osbs('get-build', second)).stdout
    expect(get).toMatch(new RegExp(`${REGISTRY}/alice/hello:1\\.0 sha256:[0-9a-f]{64}`))
    const failure = "atomic_reactor.plugin.PluginFailedException: plugin 'import_image' raised an exception: RuntimeError('Could not find primary images in workflow',)"
    const logs = ok(await osbs('build-logs', second)).stdout
    expect(logs).toContain(failure)
    const followed = ok(await osbs('build-logs', '-f', second)).stdout
    expect(followed.trim().split('\n').pop()).toBe(failure)
    const watched = ok(await osbs('--output', 'json', 'watch-build', second))
    expect(JSON.parse(watched.stdout)).toMatchObject({ metadata: { name: second }, status: { phase: 'Failed' } })
  }, 60000)

  it('get-build-image-id: the builder image by digest, from the build pod', async () => {
    const r = ok(await osbs('--output', 'json', 'get-build-image-id', second))
    expect(JSON.parse(r.stdout)).toEqual({ 'buildroot:latest': `docker-pullable://buildroot@${cluster.registries.resolveImage('buildroot:latest').digest}` })
  }, 30000)

  it('watch-builds shows a new build; cancel-build cancels it while it runs', async () => {
    // the build pod stays Running until the hold is removed
    const hold = cluster.faults.holdBuild()
    const watcher = spawn(PYTHON, ['-m', 'osbs.cli.main', '--config', conf, '--instance', 'default', '--output', 'json', 'watch-builds'], { cwd: work, env: env(), stdio: ['ignore', 'pipe', 'pipe'] })
    children.add(watcher)
    const seen: Array<{ changetype: string; name: string; status: string }> = []
    const waiters: Array<() => void> = []
    let rest = ''
    watcher.stdout.on('data', (d) => {
      rest += d
      let i: number
      while ((i = rest.indexOf('\n')) >= 0) {
        seen.push(JSON.parse(rest.slice(0, i)))
        rest = rest.slice(i + 1)
      }
      waiters.splice(0).forEach((w) => w())
    })
    const until = (pred: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (pred() ? resolve() : waiters.push(check))
        watcher.once('close', () => (pred() ? resolve() : reject(new Error(`watch-builds ended; it printed ${JSON.stringify(seen)}`))))
        check()
      })
    try {
      // `build --no-logs` returns once the build is scheduled (Running)
      const started = ok(await build('--no-logs'))
      const third = started.stdout.trim().split('\n').pop()!
      expect(third).toBe(first.replace(/-1$/, '-3'))
      expect(phase(third)).toBe('Running')
      await until(() => seen.some((e) => e.name === third && e.status === 'Running'))

      ok(await osbs('cancel-build', third))
      const watched = ok(await osbs('--output', 'json', 'watch-build', third))
      expect(JSON.parse(watched.stdout).status).toMatchObject({ phase: 'Cancelled', reason: 'CancelledBuild' })
      expect(ok(await osbs('get-build', third)).stdout).toMatch(/^STATUS: cancelled$/m)
      expect(hold.hits).toBeGreaterThan(0)
    } finally {
      cluster.faults.remove(hold)
      watcher.kill('SIGTERM')
    }
  }, 60000)

  it("import-image: osbs-client's create_image_stream, then import_image completes with the registry's tags", async () => {
    const script = [
      'import sys',
      'from osbs.api import OSBS',
      'from osbs.conf import Configuration',
      "conf = Configuration(conf_file=sys.argv[1], conf_section='default')",
      'OSBS(conf, conf).create_image_stream(sys.argv[2], sys.argv[3])'
    ].join('\n')
    ok(await python(['-c', script, conf, 'hello', `${REGISTRY}/alice/hello`]))
    ok(await osbs('import-image', 'hello'))
    const is = cluster.store.get('imagestreams', cluster.namespace, 'hello')!
    expect(is.metadata.annotations?.['openshift.io/image.dockerRepositoryCheck']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const tags = (is.status.tags as Array<{ tag: string; items: Array<{ image: string }> }>).map((t) => t.tag)
    expect(tags).toEqual(expect.arrayContaining(['1.0', 'latest']))
    const digest = cluster.registries.resolveImage(`${REGISTRY}/alice/hello:latest`).digest
    expect(is.status.tags.find((t: { tag: string }) => t.tag === 'latest').items[0].image).toBe(digest)
  }, 30000)

  it("get-user: users/~ answers the token's user", async () => {
    const r = ok(await osbs('--output', 'json', 'get-user'))
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'User', metadata: { name: 'developer' } })
  }, 30000)
})
