/**
 * The build pod's environment, as OpenShift's custom build strategy sets it (origin pkg/build/controller/strategy
 * custom.go and util.go): one test per variable, on Builds instantiated through the local OpenShift.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../src/index.js'
import { buildPodEnv, podEnvironment, splitDockerReference } from '../src/pod/env.js'
import { buildConfigBody, call, ManualReactor } from '../testing/client.js'

const api = '/apis/build.openshift.io/v1/namespaces/osbs'
let cluster: Cluster
const pods = new ManualReactor()
beforeAll(async () => {
  cluster = await startCluster({ port: 0, reactor: pods.reactor, koji: false })
})
afterAll(() => cluster.close())

let n = 0
/** Create a BuildConfig (changed by `edit`), instantiate it with `request` fields, and return the pod's env. */
async function pod(edit: (bc: any) => void = () => undefined, request: Record<string, unknown> = {}) {
  const name = `env-${++n}`
  const bc = buildConfigBody(name, { ref: 'main', gitUri: 'https://git.example.com/app.git' })
  edit(bc)
  expect((await call(cluster, 'POST', `${api}/buildconfigs`, { body: bc })).status).toBe(201)
  const res = await call(cluster, 'POST', `${api}/buildconfigs/${name}/instantiate`, {
    body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name }, ...request }
  })
  expect(res.status).toBe(201)
  const host = await pods.waitStarted(res.body.metadata.name)
  pods.finish(res.body.metadata.name)
  return { list: buildPodEnv(host.build), env: podEnvironment(host.build), build: host.build }
}

describe('the build pod environment of a Custom build', () => {
  it('BUILD is the Build as JSON', async () => {
    const { env, build } = await pod()
    const decoded = JSON.parse(env.BUILD!)
    expect(decoded).toMatchObject({ kind: 'Build', apiVersion: 'build.openshift.io/v1', metadata: { name: build.metadata.name } })
    expect(decoded.spec).toEqual(build.spec)
  })

  it('SOURCE_URI and SOURCE_REPOSITORY are spec.source.git.uri', async () => {
    const { env } = await pod()
    expect(env.SOURCE_URI).toBe('https://git.example.com/app.git')
    expect(env.SOURCE_REPOSITORY).toBe('https://git.example.com/app.git')
  })

  it("SOURCE_REF is the BuildConfig's ref, also when the BuildRequest names a revision", async () => {
    const { env, build } = await pod(undefined, { revision: { type: 'Git', git: { commit: 'a'.repeat(40) } } })
    expect(build.spec.revision.git.commit).toBe('a'.repeat(40))
    expect(env.SOURCE_REF).toBe('main')
    const noRef = await pod((bc) => delete bc.spec.source.git.ref)
    expect('SOURCE_REF' in noRef.env).toBe(false)
  })

  it('SOURCE_REF from the BuildRequest env comes after the BuildConfig’s and wins in the container', async () => {
    const commit = 'b'.repeat(40)
    const { list, env, build } = await pod(undefined, { env: [{ name: 'SOURCE_REF', value: commit }] })
    expect(build.spec.source.git.ref).toBe('main')
    expect(list.filter((e) => e.name === 'SOURCE_REF').map((e) => e.value)).toEqual(['main', commit])
    expect(env.SOURCE_REF).toBe(commit)
  })

  it('SOURCE_CONTEXT_DIR only when the source has a contextDir', async () => {
    expect('SOURCE_CONTEXT_DIR' in (await pod()).env).toBe(false)
    expect((await pod((bc) => (bc.spec.source.contextDir = 'images/app'))).env.SOURCE_CONTEXT_DIR).toBe('images/app')
  })

  it('OUTPUT_REGISTRY and OUTPUT_IMAGE split spec.output.to', async () => {
    const { env } = await pod((bc) => (bc.spec.output.to.name = 'registry.example.com:5000/user/app:none-1'))
    expect(env.OUTPUT_REGISTRY).toBe('registry.example.com:5000')
    expect(env.OUTPUT_IMAGE).toBe('user/app:none-1')
    const local = await pod((bc) => (bc.spec.output.to.name = 'user/app:none-2'))
    expect(local.env.OUTPUT_REGISTRY).toBe('')
    expect(local.env.OUTPUT_IMAGE).toBe('user/app:none-2')
    expect(splitDockerReference('localhost/app:1')).toEqual({ registry: 'localhost', rest: 'app:1' })
  })

  it('OPENSHIFT_CUSTOM_BUILD_BASE_IMAGE is the resolved builder image (set by the build generator)', async () => {
    expect((await pod()).env.OPENSHIFT_CUSTOM_BUILD_BASE_IMAGE).toBe('buildroot:latest')
  })

  it("the strategy's env comes as it is (ATOMIC_REACTOR_PLUGINS)", async () => {
    const { env, list } = await pod((bc) => bc.spec.strategy.customStrategy.env.push({ name: 'EXTRA', value: 'x' }))
    expect(JSON.parse(env.ATOMIC_REACTOR_PLUGINS!)).toEqual({ prebuild_plugins: [], postbuild_plugins: [], exit_plugins: [] })
    expect(env.EXTRA).toBe('x')
    expect(list.map((e) => e.name).slice(0, 5)).toEqual(['BUILD', 'SOURCE_REPOSITORY', 'SOURCE_URI', 'SOURCE_REF', 'OUTPUT_REGISTRY'])
  })

  it('DOCKER_SOCKET and PUSH_DOCKERCFG_PATH with exposeDockerSocket and a push secret', async () => {
    const { env } = await pod((bc) => (bc.spec.output.pushSecret = { name: 'push' }))
    expect(env.DOCKER_SOCKET).toBe('/var/run/docker.sock')
    expect(env.PUSH_DOCKERCFG_PATH).toBe('/var/run/secrets/openshift.io/push')
    const hidden = await pod((bc) => {
      bc.spec.output.pushSecret = { name: 'push' }
      bc.spec.strategy.customStrategy.exposeDockerSocket = false
    })
    expect('PUSH_DOCKERCFG_PATH' in hidden.env).toBe(false)
    expect('DOCKER_SOCKET' in hidden.env).toBe(false)
  })

  it('SOURCE_SECRET_PATH with a source secret', async () => {
    expect('SOURCE_SECRET_PATH' in (await pod()).env).toBe(false)
    expect((await pod((bc) => (bc.spec.source.sourceSecret = { name: 'git-key' }))).env.SOURCE_SECRET_PATH).toBe('/var/run/secrets/openshift.io/source')
  })
})
