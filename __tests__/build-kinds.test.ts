/** The build kinds' rules with real values: the kind chosen, the release format, osbs-client's names, the plugins adjusted. */
import { describe, expect, it } from '@jest/globals'
import { ISOLATED_RELEASE_FORMAT, pullRequestOf } from '../src/inputs/build-kind.js'
import { isolatedBuildName, scratchBuildName } from '../src/naming/names.js'
import { pluginsForKind } from '../src/render/plugins/kinds.js'
import type { AtomicReactorPlugins } from '../src/render/types.js'

const branchPlugins: AtomicReactorPlugins = {
  client_version: 'x',
  prebuild_plugins: [
    { name: 'pull_base_image', args: {} },
    { name: 'bump_release', args: { hub: 'https://koji' } },
    { name: 'add_labels_in_dockerfile', args: { labels: {} } }
  ],
  prepublish_plugins: [],
  postbuild_plugins: [{ name: 'tag_by_labels' }, { name: 'tag_and_push', args: { registries: {} } }, { name: 'compress', args: { method: 'gzip' } }],
  exit_plugins: [{ name: 'store_metadata_in_osv3', args: {} }, { name: 'remove_built_image' }]
}

describe('build kinds', () => {
  it("takes osbs-client's ISOLATED_RELEASE_FORMAT", () => {
    for (const ok of ['1.1', '10.20', '2.3.hotfix', '1.1.1']) expect(ISOLATED_RELEASE_FORMAT.test(ok)).toBe(true)
    for (const bad of ['1', '1.', '.1', 'a.1', '1.a', '']) expect(ISOLATED_RELEASE_FORMAT.test(bad)).toBe(false)
  })

  it('names a scratch build scratch-<salt>-<timestamp> and an isolated one as wrap_name_from_git does', () => {
    expect(scratchBuildName('none-12345-20240102030405')).toBe('scratch-12345-20240102030405')
    expect(scratchBuildName('rhel-7.4-12345-20240102030405')).toBe('scratch-12345-20240102030405')
    const name = isolatedBuildName('https://github.com/acme/app.git', 'release-1', 'none-12345-20240102030405')
    expect(name).toMatch(/^isolated-app-release-1-[0-9a-f]{5}-20240102030405$/)
    const long = isolatedBuildName(`https://example.com/${'r'.repeat(80)}.git`, 'b'.repeat(80), 'none-12345-20240102030405')
    expect(long.length).toBeLessThanOrEqual(64)
  })

  it('reads the head commit, branch and repository of a pull request, and whether it is a fork', () => {
    const context = (headRepo: string) => ({
      eventName: 'pull_request',
      repository: 'acme/app',
      payload: {
        number: 5,
        pull_request: {
          number: 5,
          head: { ref: 'fix', sha: 'a'.repeat(40), repo: { full_name: headRepo, clone_url: `https://github.com/${headRepo}.git` } },
          base: { repo: { full_name: 'acme/app' } }
        }
      }
    })
    expect(pullRequestOf(context('acme/app'))).toEqual({ number: 5, event: 'pull_request', headRef: 'fix', headSha: 'a'.repeat(40), headCloneUrl: 'https://github.com/acme/app.git' })
    expect(pullRequestOf(context('alice/app'))?.fork).toBe('alice/app')
    expect(pullRequestOf({ ...context('alice/app'), eventName: 'push' })).toBeUndefined()
  })

  it('adjusts the plugins as adjust_for_scratch and adjust_for_isolated', () => {
    const scratch = pluginsForKind(branchPlugins, 'scratch')
    expect(scratch.postbuild_plugins).toEqual([
      { name: 'tag_by_labels', args: { unique_tag_only: true } },
      { name: 'tag_and_push', args: { registries: {} } }
    ])
    expect(scratch.prebuild_plugins).toEqual(branchPlugins.prebuild_plugins)
    const isolated = pluginsForKind(branchPlugins, 'isolated', '1.1')
    expect(isolated.prebuild_plugins).toEqual([
      { name: 'pull_base_image', args: {} },
      { name: 'add_labels_in_dockerfile', args: { labels: { release: '1.1' } } }
    ])
    expect(isolated.postbuild_plugins).toEqual([
      { name: 'tag_by_labels', args: { unique_tag_only: true } },
      { name: 'tag_from_config', args: { tag_suffixes: { unique: [], primary: ['{version}-{release}'] } } },
      { name: 'tag_and_push', args: { registries: {} } },
      { name: 'compress', args: { method: 'gzip' } }
    ])
    expect(pluginsForKind(branchPlugins, 'branch')).toBe(branchPlugins)
  })
})
