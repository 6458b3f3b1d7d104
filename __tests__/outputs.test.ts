import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { openshiftData } from '../__fixtures__/openshift-data.js'
import { kindOf, outputsFrom, pluginErrorMessages, readBuild, registryOf } from '../src/report/outputs.js'
import type { RegistrySettings } from '../src/settings.js'
import { renderSummary } from '../src/report/summary.js'

const recorded = openshiftData('recorded-3.9', 'build_test-build-123.json')

function registry(uri: string, host: string, version: 'v1' | 'v2'): RegistrySettings {
  return { uri, host, base: uri.replace(/\/v[12]$/, ''), version, versionExplicit: true, insecure: true }
}
const registries = [registry('registry-v1.example.com:5000/v1', 'registry-v1.example.com:5000', 'v1'), registry('https://registry.example.com/v2', 'registry.example.com', 'v2')]

describe('outputs of a recorded OpenShift 3.9 build', () => {
  const build = JSON.parse(readFileSync(recorded, 'utf8'))

  it('reads names, phase and times; no image annotations means no images', () => {
    const facts = readBuild(build, { buildConfig: 'test-build-config', registries, buildUrl: 'https://api/x' })
    expect(facts.buildName).toBe('test-build-123')
    expect(facts.buildNumber).toBe('123')
    expect(facts.phase).toBe('Complete')
    expect(facts.durationSeconds).toBe(424)
    expect(facts.images).toEqual([])
    const out = outputsFrom(facts, { baseImageStreamTag: 'fedora:latest', autorebuild: true })
    expect(out['build-name']).toBe('test-build-123')
    expect(out['build-status']).toBe('Complete')
    expect(out['build-config']).toBe('test-build-config')
    expect(out['build-url']).toBe('https://api/x')
    expect(out.image).toBe('')
    expect(out.images).toBe('[]')
    expect(out['base-image-stream-tag']).toBe('fedora:latest')
    expect(out.autorebuild).toBe('true')
  })

  it('reads atomic-reactor annotations added to the same build', () => {
    const withMeta = structuredClone(build)
    Object.assign(withMeta.metadata.annotations, {
      repositories: JSON.stringify({
        primary: ['registry.example.com/user/app:1.0-3', 'registry-v1.example.com:5000/user/app:1.0-3', 'crane.example.com/user/app:1.0-3'],
        unique: ['registry.example.com/user/app:none-12345-20260101000000'],
        floating: []
      }),
      digests: JSON.stringify([
        { registry: 'registry.example.com', repository: 'user/app', tag: 'none-12345-20260101000000', digest: 'sha256:aaa', version: 'v2' },
        { registry: 'registry.example.com', repository: 'user/app', tag: '1.0-3', digest: 'sha256:bbb', version: 'v2' },
        { registry: 'registry.example.com', repository: 'user/app', tag: '1.0-3', digest: 'sha256:v1v1', version: 'v1' }
      ]),
      'image-id': 'sha256:1234',
      commit_id: 'f25fe95360c836082c479c672dbe4ae92ed9771d',
      'base-image-name': 'fedora:latest',
      'plugins-metadata': JSON.stringify({ errors: {}, durations: {}, timestamps: {} })
    })
    const facts = readBuild(withMeta, { buildConfig: 'bc', registries, buildUrl: 'u' })
    const out = outputsFrom(facts, { baseImageStreamTag: null, autorebuild: false })
    expect(out.image).toBe('registry.example.com/user/app:1.0-3')
    expect(JSON.parse(out.images)).toEqual([
      'registry.example.com/user/app:1.0-3',
      'registry-v1.example.com:5000/user/app:1.0-3',
      'crane.example.com/user/app:1.0-3',
      'registry.example.com/user/app:none-12345-20260101000000'
    ])
    expect(out['v2-images']).toBe('registry.example.com/user/app:1.0-3\nregistry.example.com/user/app:none-12345-20260101000000')
    expect(out['v1-images']).toBe('registry-v1.example.com:5000/user/app:1.0-3')
    expect(out['pulp-images']).toBe('crane.example.com/user/app:1.0-3')
    expect(out['unique-images']).toBe('registry.example.com/user/app:none-12345-20260101000000')
    expect(out['image-digest']).toBe('sha256:bbb')
    expect(out['image-id']).toBe('sha256:1234')
    expect(out['commit-id']).toBe('f25fe95360c836082c479c672dbe4ae92ed9771d')
    expect(out['base-image']).toBe('fedora:latest')
    expect(JSON.parse(out.digests)).toHaveLength(3)
    expect(out['base-image-stream-tag']).toBe('')
    expect(out.autorebuild).toBe('false')

    const md = renderSummary({ facts, autorebuild: { enabled: false, reason: 'disabled in .osbs-repo-config' } })
    expect(md).toContain('| v2 registry | `registry.example.com/user/app:1.0-3` | `sha256:bbb` |')
    expect(md).toContain('| Pulp | `crane.example.com/user/app:1.0-3` |')
    expect(md).toContain('| Autorebuild | off: disabled in .osbs-repo-config |')
    expect(md).toContain('`f25fe95360c836082c479c672dbe4ae92ed9771d`')
  })

  it('names the failing plugin', () => {
    const failed = structuredClone(build)
    failed.status.phase = 'Failed'
    failed.metadata.annotations['plugins-metadata'] = JSON.stringify({ errors: { tag_and_push: 'registry refused', compress: '' } })
    const facts = readBuild(failed, { buildConfig: 'bc', registries, buildUrl: 'u' })
    expect(pluginErrorMessages(facts.pluginErrors)).toEqual(['Error in plugin tag_and_push: registry refused', 'Error in plugin compress'])
    const md = renderSummary({ facts, autorebuild: { enabled: true, reason: 'enabled' } })
    expect(md).toContain('Error in plugin tag_and_push: registry refused')
    expect(md).toContain('❌')
  })
})

describe('image-digest', () => {
  const facts = (digests: object[]) =>
    readBuild(
      {
        metadata: {
          name: 'bc-1',
          annotations: {
            repositories: JSON.stringify({ primary: ['registry.example.com/user/app:1.0-3'], unique: ['registry.example.com/user/app:none-1-2'] }),
            digests: JSON.stringify(digests)
          }
        },
        status: { phase: 'Complete' }
      },
      { buildConfig: 'bc', registries, buildUrl: 'u' }
    )

  it('is never a schema 1 digest, nor the digest of another tag', () => {
    const out = outputsFrom(
      facts([
        { registry: 'registry.example.com', repository: 'user/app', tag: '1.0-3', digest: 'sha256:schema1', version: 'v1' },
        { registry: 'registry.example.com', repository: 'user/app', tag: 'none-1-2', digest: 'sha256:othertag', version: 'v2' }
      ]),
      { autorebuild: false }
    )
    expect(out.image).toBe('registry.example.com/user/app:1.0-3')
    expect(out['image-digest']).toBe('')
  })

  it('takes an entry without a version (atomic-reactor before 2017-10-03) as the default digest', () => {
    const out = outputsFrom(facts([{ registry: 'https://registry.example.com', repository: 'user/app', tag: '1.0-3', digest: 'sha256:default' }]), {
      autorebuild: false
    })
    expect(out['image-digest']).toBe('sha256:default')
  })
})

describe('pull spec kinds', () => {
  it('takes the registry of a pull spec', () => {
    expect(registryOf('registry:5000/a/b:1')).toBe('registry:5000')
    expect(registryOf('localhost/a:1')).toBe('localhost')
    expect(registryOf('user/app:1')).toBeUndefined()
  })
  it('maps registries to v1, v2 and anything else to Pulp', () => {
    expect(kindOf('registry-v1.example.com:5000/u/a:1', registries)).toBe('v1')
    expect(kindOf('REGISTRY.example.com/u/a:1', registries)).toBe('v2')
    expect(kindOf('crane.example.com/u/a:1', registries)).toBe('pulp')
  })
})
