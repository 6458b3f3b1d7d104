import { describe, expect, it } from '@jest/globals'
import { buildConfigNameFromGit, imageStreamFromNameLabel, imageStreamTagFromImage, isDns1123Label, repoNameFromGitUri, toLabelValue, uniqueTag } from '../src/naming/names.js'

describe('SPEC §4.1 BuildConfig name', () => {
  it.each([
    // the examples of SPEC §4.1
    ['git://hostname/path', 'master', 'path-master-cd1e4'],
    ['https://github.com/user/reponame.git', 'branch', 'reponame-branch-4e66d'],
    ['http://git.example.com/git/repo.git/', 'f26', 'repo-f26-e70e7'],
    // osbs-client's outputs for lowercase input are unchanged
    ['git://pkgs.fedoraproject.org/rpms/python-docker.git', 'private-feature_x.y', 'python-docker-private-featurexy-ff7df'],
    ['ssh://git@host:29418/rpms/foo.git', 'f26', 'foo-f26-fdcd0'],
    ['https://example.com/a-very-long-repository-name-for-testing-limits.git', 'a-very-long-branch-name-which-is-longer-than-limit', 'a-very-long-repository-a-very-long-branch-name-6ee1e'],
    // the one fix: upper case is lowercased, not deleted (osbs-client gave yepo-eatureranch1-eab0a)
    ['https://github.com/Some_Org/My_Repo.git', 'Feature/Branch_1', 'myrepo-featurebranch1-eab0a']
  ])('%s @ %s → %s', (uri, branch, expected) => {
    const name = buildConfigNameFromGit(uri, branch)
    expect(name).toBe(expected)
    expect(isDns1123Label(name)).toBe(true)
  })

  it('takes characters alternately, 46 in all, and strips - from each part', () => {
    const name = buildConfigNameFromGit('https://x/' + 'r'.repeat(40) + '.git', 'b'.repeat(40))
    expect(name).toMatch(/^r{23}-b{23}-[0-9a-f]{5}$/)
    expect(buildConfigNameFromGit('https://x/spam.git', '-----n')).toMatch(/^spam-n-[0-9a-f]{5}$/)
    expect(buildConfigNameFromGit('https://x/spam.git', '___')).toMatch(/^spam-[0-9a-f]{5}$/)
  })

  it('hashes the raw repo and branch, so names that sanitise alike still differ', () => {
    expect(buildConfigNameFromGit('https://x/repo.git', 'a_b')).not.toBe(buildConfigNameFromGit('https://x/repo.git', 'a.b'))
  })

  it.each([
    ['http://x/git/repo.git/', 'repo'],
    ['http://x/git/repo/.git', 'repo'],
    ['git://hostname/path', 'path'],
    ['git@github.com:owner/widget.git', 'widget'],
    ['file:///tmp/checkout///', 'checkout']
  ])('repo name of %s is %s', (uri, expected) => {
    expect(repoNameFromGitUri(uri)).toBe(expected)
  })
})

describe('SPEC §4.2 base ImageStreamTag', () => {
  it.each([
    ['fedora23', 'fedora23:latest'],
    ['fedora23:sometag', 'fedora23:sometag'],
    ['fedora23/python', 'fedora23-python:latest'],
    ['fedora23/python:sometag', 'fedora23-python:sometag'],
    ['docker.io/fedora23', 'fedora23:latest'],
    ['docker.io/fedora23/python', 'fedora23-python:latest'],
    ['docker.io/fedora23/python:t', 'fedora23-python:t'],
    ['registry:5000/fedora', 'fedora:latest'],
    ['localhost/fedora', 'fedora:latest'],
    ['a.b/c/d/e:tag', 'c-d-e:tag'],
    ['registry.example.com:5000/fedora:30', 'fedora:30']
  ])('%s → %s', (image, expected) => {
    expect(imageStreamTagFromImage(image)).toBe(expected)
  })

  it.each(['fedora@sha256:' + 'a'.repeat(64), 'registry.example.com/fedora:30@sha256:' + 'b'.repeat(64)])('a digest reference (%s) cannot be tracked', (image) => {
    expect(imageStreamTagFromImage(image)).toBeNull()
  })
})

describe('SPEC §4.3 output names and labels', () => {
  it('ImageStream of the built image: name label with / → -', () => {
    expect(imageStreamFromNameLabel('fedora/resultingimage')).toBe('fedora-resultingimage')
    expect(imageStreamFromNameLabel('a/b/c')).toBe('a-b-c')
  })

  it.each([
    [undefined, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 0, 'none-10000-20260102030405'],
    ['koji-target', new Date(Date.UTC(2017, 9, 2, 12, 34, 56)), 0.999999, 'koji-target-99999-20171002123456'],
    ['', new Date(Date.UTC(2026, 10, 25, 23, 59, 0)), 0.5, 'none-55000-20261125235900']
  ])('unique tag with target %p', (target, now, random, expected) => {
    expect(uniqueTag(target, now, random)).toBe(expected)
  })

  it.each([
    ['master', 'master'],
    ['feature/x', 'feature-x'],
    ['users/jdoe/fix#12', 'users-jdoe-fix-12'],
    ['-lead', 'lead'],
    ['x'.repeat(70), 'x'.repeat(63)],
    ['a'.repeat(62) + '/b', 'a'.repeat(62)]
  ])('label value of %s is %s', (value, expected) => {
    expect(toLabelValue(value)).toBe(expected)
  })
})
