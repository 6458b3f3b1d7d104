/**
 * A build pod that runs a program (pod/process-pod.ts), with a shell script as the program: its environment, its
 * volumes at their mount paths, its output as the build log, its exit code as the Build's phase, and cancellation.
 * Needs root and util-linux's unshare (a mount namespace), as the real-reactor mode does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync } from 'node:fs'
import { makeTempDir } from '../../__fixtures__/temp-dirs.js'
import { startCluster, type Cluster } from '../src/index.js'
import { importsIntoKoji, kojiBuildOf } from '../src/pod/koji-record.js'
import { mountScript } from '../src/pod/process/mount-namespace.js'
import { ProcessPods } from '../src/pod/process/process-pod.js'
import { pulpRefusal, rpmRefusal } from '../src/pod/real-reactor/atomic-reactor.js'
import { MissingReactorToolsError, requireReactorTools } from '../src/pod/real-reactor/real-reactor.js'
import { secretVolumes, volumesFromStore } from '../src/pod/volumes.js'
import { which } from '../src/images/real/tools.js'
import { buildConfigBody, call } from '../testing/client.js'

const api = '/apis/build.openshift.io/v1/namespaces/osbs'
const b64 = (s: string) => Buffer.from(s).toString('base64')

/** The pod's program: prints what a build pod sees, then exits with $EXIT_CODE (or sleeps with $SLEEP). */
const SCRIPT = [
  'echo "build=$(printf %s "$BUILD" | head -c 15)"',
  'echo "uri=$SOURCE_URI ref=$SOURCE_REF"',
  'echo "token=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token | cut -d. -f1 | head -c 3)"',
  'echo "namespace=$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"',
  'echo "secret=$(cat /var/run/secrets/atomic-reactor/registry-creds/.dockercfg)"',
  'echo "hostname=$(cat /proc/sys/kernel/hostname)"',
  'echo "to stderr" >&2',
  'if [ -n "$SLEEP" ]; then trap "echo got TERM; exit 143" TERM; sleep "$SLEEP" & wait; fi',
  'exit "${EXIT_CODE:-0}"'
].join('\n')

const canRun = process.getuid?.() === 0 && !!which('unshare')
const describePods = canRun || process.env.CI === 'true' ? describe : describe.skip

describePods('a build pod that runs a program', () => {
  let cluster: Cluster
  let pods: ProcessPods
  let dir: string
  beforeAll(async () => {
    dir = makeTempDir('process-pods-')
    pods = new ProcessPods({
      command: ['/bin/sh', '-c', SCRIPT],
      unshare: which('unshare')!,
      setpriv: which('setpriv'),
      dir,
      gracePeriodMs: 2000,
      volumes: (ns) => volumesFromStore(cluster.store, ns)
    })
    cluster = await startCluster({ port: 0, reactor: pods.reactor, koji: false, podStartDelay: 1 })
    const secret = { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'registry-creds' }, data: { '.dockercfg': b64('{"auths":{}}') } }
    expect((await call(cluster, 'POST', '/api/v1/namespaces/osbs/secrets', { body: secret })).status).toBe(201)
  })
  afterAll(async () => {
    await cluster.close()
    await pods.close()
  })

  let n = 0
  async function build(env: Record<string, string> = {}, edit: (bc: any) => void = () => undefined): Promise<string> {
    const name = `pod-${++n}`
    const bc = buildConfigBody(name, { ref: 'main', gitUri: 'https://git.example.com/app.git' })
    bc.spec.strategy.customStrategy.secrets = [{ secretSource: { name: 'registry-creds' }, mountPath: '/var/run/secrets/atomic-reactor/registry-creds' }]
    bc.spec.strategy.customStrategy.env = [...(bc.spec.strategy.customStrategy.env ?? []), ...Object.entries(env).map(([k, v]) => ({ name: k, value: v }))]
    edit(bc)
    expect((await call(cluster, 'POST', `${api}/buildconfigs`, { body: bc })).status).toBe(201)
    const res = await call(cluster, 'POST', `${api}/buildconfigs/${name}/instantiate`, { body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name } } })
    expect(res.status).toBe(201)
    return res.body.metadata.name
  }
  const ended = async (name: string) => {
    for (;;) {
      const b = cluster.store.get('builds', 'osbs', name)
      if (b && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(b.status?.phase)) return b
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const log = async (name: string) => (await call(cluster, 'GET', `${api}/builds/${name}/log`)).text

  it('sees the custom build environment and its volumes at their paths; its output is the log; exit 0 completes', async () => {
    const name = await build()
    expect((await ended(name)).status.phase).toBe('Complete')
    const text = await log(name)
    expect(text).toContain('build={"kind":"Build"')
    expect(text).toContain('uri=https://git.example.com/app.git ref=main')
    expect(text).toContain('token=eyJ') // a JWT of the builder service account
    expect(text).toContain('namespace=osbs')
    expect(text).toContain('secret={"auths":{}}')
    expect(text).toContain('to stderr')
    expect(text).toContain(`hostname=${name}-build`)
    // the host's /var/run/secrets is not changed: the mounts were the pod's own
    expect(existsSync('/var/run/secrets/atomic-reactor/registry-creds')).toBe(false)
  })

  it('a non-zero exit fails the build as OpenShift does (GenericBuildFailed)', async () => {
    const name = await build({ EXIT_CODE: '3' })
    const b = await ended(name)
    expect(b.status.phase).toBe('Failed')
    expect(b.status.reason).toBe('GenericBuildFailed')
    expect(b.status.message).toBe('Generic Build failure - check logs for details.')
  })

  it('a missing secret fails the pod before the program runs, naming the secret', async () => {
    const name = await build({}, (bc) => (bc.spec.strategy.customStrategy.secrets = [{ secretSource: { name: 'nope' }, mountPath: '/var/run/secrets/x' }]))
    expect((await ended(name)).status.phase).toBe('Failed')
    expect(await log(name)).toContain('secret "nope" not found')
  })

  it('cancelling the build sends SIGTERM to the program; the build is Cancelled and no pod is left', async () => {
    const name = await build({ SLEEP: '60' })
    for (;;) {
      if ((await log(name)).includes('to stderr')) break
      await new Promise((r) => setTimeout(r, 20))
    }
    const res = await call(cluster, 'PATCH', `${api}/builds/${name}`, { body: { status: { cancelled: true } }, contentType: 'application/merge-patch+json' })
    expect(res.status).toBe(200)
    expect((await ended(name)).status.phase).toBe('Cancelled')
    await cluster.settled()
    // the pod's own folder goes when it ends
    for (;;) {
      if (!readdirSync(dir).some((d) => d.startsWith(`${name}-`))) break
      await new Promise((r) => setTimeout(r, 20))
    }
  })
})

describe('the pieces of a process pod', () => {
  it('--reactor real on a machine without the peers: the error lists what is missing and how to get it', () => {
    expect(() => requireReactorTools('/nonexistent-peers')).toThrow(MissingReactorToolsError)
    expect(() => requireReactorTools('/nonexistent-peers')).toThrow(
      /--reactor real needs what is missing here:\n {2}- \/nonexistent-peers\/atomic-reactor \(the peers; see \.ci\/get-peers\)\n[^]*or use --reactor emulated/
    )
  })

  it('mounts the pod tmpfs first and refuses a relative mount path', () => {
    const script = mountScript([{ source: '/tmp/a b', target: '/var/run/secrets/x', readOnly: true }])
    expect(script.split('\n').slice(0, 4)).toEqual(['set -e', 'mount -t tmpfs -o mode=0755 tmpfs /var/run/secrets', "mkdir -p '/var/run/secrets/x'", "mount --bind '/tmp/a b' '/var/run/secrets/x'"])
    expect(() => mountScript([{ source: '/a', target: 'relative' }])).toThrow(/not an absolute path/)
  })

  it("lists the push and pull secrets, the source secret and the strategy's secrets at OpenShift's paths, in 3.11's order", () => {
    const build = {
      metadata: { name: 'b' },
      spec: {
        source: { sourceSecret: { name: 'src' } },
        output: { pushSecret: { name: 'push' } },
        strategy: { customStrategy: { exposeDockerSocket: true, pullSecret: { name: 'pull' }, secrets: [{ secretSource: { name: 's1' }, mountPath: '/m/s1' }] } }
      }
    }
    expect(secretVolumes(build)).toEqual([
      { name: 'push', mountPath: '/var/run/secrets/openshift.io/push' },
      { name: 'pull', mountPath: '/var/run/secrets/openshift.io/pull' },
      { name: 'src', mountPath: '/var/run/secrets/openshift.io/source' },
      { name: 's1', mountPath: '/m/s1' }
    ])
  })

  const withPlugins = (plugins: object, annotations: Record<string, string> = {}) => ({
    metadata: { name: 'b', annotations },
    spec: { strategy: { customStrategy: { env: [{ name: 'ATOMIC_REACTOR_PLUGINS', value: JSON.stringify(plugins) }] } } }
  })

  it('refuses a build that needs Pulp, naming the plugins', () => {
    expect(pulpRefusal(withPlugins({ postbuild_plugins: [{ name: 'tag_and_push' }] }))).toBeUndefined()
    expect(pulpRefusal(withPlugins({ postbuild_plugins: [{ name: 'pulp_push' }, { name: 'pulp_sync' }] }))).toMatch(/needs Pulp \(pulp_push, pulp_sync\): there is no Pulp server here/)
  })

  it('records in Koji the N-V-R of the final Dockerfile when bump_release asked the hub', () => {
    const dockerfile = 'FROM fedora\nLABEL name="acme/app" version="1.0" com.redhat.component="app"\nLABEL release=2\n'
    expect(kojiBuildOf(withPlugins({ prebuild_plugins: [{ name: 'bump_release', args: { hub: 'http://hub' } }] }, { dockerfile }))).toEqual({
      hub: 'http://hub',
      name: 'app',
      version: '1.0',
      release: '2'
    })
    expect(kojiBuildOf(withPlugins({ prebuild_plugins: [] }, { dockerfile }))).toBeUndefined()
  })

  it('refuses a build whose koji_promote needs rpm where it is not installed', () => {
    const promote = withPlugins({ exit_plugins: [{ name: 'koji_promote' }] })
    expect(rpmRefusal(promote, () => false)).toBe("the local OpenShift runs the real atomic-reactor, and this build's koji_promote runs /bin/rpm -qa in the builder: install rpm (apt-get install rpm)")
    expect(rpmRefusal(promote, () => true)).toBeUndefined()
    expect(rpmRefusal(withPlugins({ exit_plugins: [{ name: 'store_metadata_in_osv3' }] }), () => false)).toBeUndefined()
  })

  it('a build whose koji_promote imports it is not recorded by the cluster (importsIntoKoji)', () => {
    expect(importsIntoKoji(withPlugins({ exit_plugins: [{ name: 'koji_promote' }] }))).toBe(true)
    expect(importsIntoKoji(withPlugins({ exit_plugins: [{ name: 'store_metadata_in_osv3' }] }))).toBe(false)
  })
})
