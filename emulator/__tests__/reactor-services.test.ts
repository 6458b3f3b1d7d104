/**
 * Plugins that need a service: against the local Koji hub, or one that cannot be reached, they fail as the real
 * plugins do, with their messages; assert_labels and fetch_maven_artifacts on the repository's files.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { KojiHub } from '../src/koji/hub.js'
import { runReactor } from '../src/reactor/index.js'
import { ImageRegistries } from '../src/images/registries.js'
import { buildConfig } from '../__fixtures__/build-config.js'
import { buildFrom, FakeHost } from '../__fixtures__/fake-host.js'
import { dockerfile, GitRepo } from '../__fixtures__/git-repo.js'

const repos: GitRepo[] = []
afterAll(() => repos.forEach((r) => r.remove()))
let hub: KojiHub
beforeEach(async () => {
  hub = new KojiHub()
  await hub.start()
})
afterEach(() => hub.close())

async function run(prebuild: unknown[], files: Record<string, string> = {}) {
  const r = new GitRepo()
  repos.push(r)
  r.commit({ Dockerfile: dockerfile(), ...files }, 'initial')
  const bc = buildConfig({ name: 'app-main-12345', uri: r.uri, trigger: false, kojiHub: hub.url })
  const env = bc.spec.strategy.customStrategy.env[0]
  const plugins = JSON.parse(env.value)
  plugins.prebuild_plugins.push(...prebuild)
  env.value = JSON.stringify(plugins)
  const host = new FakeHost(buildFrom(bc, 1, { commit: r.head() }), new ImageRegistries(), structuredClone(bc))
  const result = await runReactor(host)
  return { result, lines: host.lines.map((l) => l.replace(/^\S+ \S+ platform:- - /, '')) }
}

describe('plugins that need a service', () => {
  it('koji: a build target the hub does not have', async () => {
    const { result, lines } = await run([{ name: 'koji', args: { target: 'f99-candidate', hub: hub.url, root: 'http://koji.example.com/kojiroot' } }])
    expect(result.success).toBe(false)
    expect(lines).toContain("atomic_reactor.plugins.koji - ERROR - provided target 'f99-candidate' doesn't exist")
    expect(lines).toContain(`atomic_reactor.plugin - ERROR - plugin 'koji' raised an exception: RuntimeError("Provided target 'f99-candidate' doesn't exist!",)`)
  })

  it('koji: a hub that cannot be reached is the ConnectionError of python-requests', async () => {
    const gone = new KojiHub()
    const url = await gone.start()
    await gone.close()
    const { result, lines } = await run([{ name: 'koji', args: { target: 't', hub: url, root: '/' } }])
    expect(result.success).toBe(false)
    expect(lines).toContainEqual(
      expect.stringMatching(/^atomic_reactor\.plugin - ERROR - plugin 'koji' raised an exception: ConnectionError\("HTTPConnectionPool\(host='127\.0\.0\.1', port=\d+\): Max retries exceeded/)
    )
  })

  it('assert_labels: a required label the Dockerfile lacks', async () => {
    // name, version and release by default; bump_release (rendered with the hub) set release before it
    expect((await run([{ name: 'assert_labels' }])).result.success).toBe(true)
    const { result, lines } = await run([{ name: 'assert_labels', args: { required_labels: ['name', 'vendor'] } }])
    expect(result.success).toBe(false)
    expect(lines).toContain(`atomic_reactor.plugin - ERROR - plugin 'assert_labels' raised an exception: RuntimeError("Dockerfile is missing required labels: [u'vendor']",)`)
  })

  it('fetch_maven_artifacts: nothing to fetch without its files', async () => {
    const { result, lines } = await run([{ name: 'fetch_maven_artifacts', args: { koji_hub: hub.url, koji_root: 'http://koji.example.com/kojiroot' } }])
    expect(result.success).toBe(true)
    expect(lines).toContain('atomic_reactor.plugins.fetch_maven_artifacts - DEBUG - fetch-artifacts-koji.yaml not found')
    expect(lines).toContain('atomic_reactor.plugins.fetch_maven_artifacts - DEBUG - fetch-artifacts-url.yaml not found')
  })
})
