/**
 * The emulated atomic-reactor against a recording host (no cluster): real git repositories, the plugin list the
 * action renders (SPEC §5.2), and the effects of SPEC §9.4.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { runReactor } from '../src/reactor/index.js'
import { ImageRegistries } from '../src/registry.js'
import { buildConfig, type BuildConfigOptions } from '../__fixtures__/build-config.js'
import { buildFrom, FakeHost } from '../__fixtures__/fake-host.js'
import { dockerfile, GitRepo } from '../__fixtures__/git-repo.js'

const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} platform:- - (atomic_reactor\.[a-z_.0-9]+) - (DEBUG|INFO|WARNING|ERROR) - (.*)$/

const repos: GitRepo[] = []
afterAll(() => repos.forEach((r) => r.remove()))

function repo(files: Record<string, string>): GitRepo {
  const r = new GitRepo()
  repos.push(r)
  r.commit(files, 'initial')
  return r
}

function setup(r: GitRepo, opts: Partial<BuildConfigOptions> = {}, registries = new ImageRegistries()) {
  const bc = buildConfig({ name: 'app-main-12345', uri: r.uri, baseImageStreamTag: 'fedora:latest', commit: r.head(), ...opts })
  const host = new FakeHost(buildFrom(bc), registries, JSON.parse(JSON.stringify({ ...bc, metadata: { ...bc.metadata } })))
  return { bc, host }
}

const annotation = (host: FakeHost, key: string) => JSON.parse(host.build.metadata.annotations![key]!)

describe('runReactor', () => {
  it('builds, pushes, imports and annotates a user build', async () => {
    const r = repo({ Dockerfile: dockerfile() })
    const commit = r.head()
    // a later commit on the branch: a user build still builds the commit bump_release names
    r.commit({ 'README.md': 'later\n' }, 'later')
    const { host } = setup(r, { commit })
    const result = await runReactor(host)
    expect(result).toMatchObject({ success: true, outputDockerImageReference: 'registry.example.com:5000/user/app-container:none-12345-20171002184257' })
    expect(result.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/)

    // every line (but a traceback) has atomic-reactor's format
    for (const line of host.lines) expect(line).toMatch(LINE)
    expect(host.lines.some((l) => / atomic_reactor\.plugins\.check_and_set_rebuild - INFO - This is a rebuild\? False$/.test(l))).toBe(true)
    expect(host.lines[host.lines.length - 1]).toMatch(/atomic_reactor\.inner - INFO - build has finished successfully \\o\/$/)

    // check_and_set_rebuild flipped the BuildConfig label, others kept
    expect(host.buildConfig!.metadata.labels).toEqual({ is_autorebuild: 'true', 'git-repo-name': 'app', 'git-branch': 'main' })

    const a = host.build.metadata.annotations!
    expect(a['commit_id']).toBe(commit)
    expect(a['openshift.io/build.number']).toBe('1') // merged, not replaced
    expect(annotation(host, 'repositories')).toEqual({
      primary: [
        'registry.example.com:5000/myproj/app:1.0-1',
        'registry.example.com:5000/myproj/app:1.0',
        'registry.example.com:5000/myproj/app:latest'
      ],
      unique: ['registry.example.com:5000/myproj/app:none-12345-20171002184257']
    })
    const digests = annotation(host, 'digests')
    expect(digests).toHaveLength(4)
    expect(digests[0]).toEqual({ registry: 'registry.example.com:5000', repository: 'myproj/app', tag: '1.0-1', digest: result.imageDigest, version: 'v2' })
    expect(a['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(a['base-image-name']).toBe('fedora:latest')
    expect(a['base-image-id']).toBe(host.registries.resolveImage('fedora:latest').image.imageId)
    const meta = annotation(host, 'plugins-metadata')
    expect(meta.errors).toEqual({})
    expect(Object.keys(meta.timestamps)).toEqual(
      expect.arrayContaining(['check_and_set_rebuild', 'bump_release', 'docker_api', 'tag_and_push', 'import_image', 'store_metadata_in_osv3'])
    )
    expect(meta.durations.store_metadata_in_osv3).toBeUndefined()
    expect(typeof meta.durations.tag_and_push).toBe('number')
    expect(annotation(host, 'tar_metadata')).toMatchObject({ filename: 'compressed.tar.gz', size: expect.any(Number) })
    expect(a['dockerfile']).toContain('LABEL release=1')
    expect(a['dockerfile']).toContain(`"vcs-ref"="${commit}"`)
    // Python json.dumps separators
    expect(a['repositories']).toContain('", "')

    // the registry holds every tag; the image stream got the tags without '-'
    const reg = host.registries.findRegistry('registry.example.com:5000')!
    expect(reg.tags('myproj/app')).toEqual(['1.0', '1.0-1', 'latest', 'none-12345-20171002184257'])
    expect(host.imports).toHaveLength(1)
    expect(host.imports[0]!.imageStream).toBe('myproj-app')
    expect(host.imports[0]!.repository).toBe('registry.example.com:5000/myproj/app')
    expect(host.imports[0]!.tags.map((t) => t.tag)).toEqual(['1.0', 'latest'])
    expect(host.imports[0]!.tags[0]!.image).toBe(result.imageDigest)
  })
})
