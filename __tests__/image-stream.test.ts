/**
 * The built image's ImageStream, which the action writes after a Complete build in place of atomic-reactor
 * 1.6.26.3's import_image (which only works in an orchestrated build): the tags it follows, its body, and how it
 * merges into a stream that exists.
 */
import { describe, expect, it } from '@jest/globals'
import { importedTags, tagsOfBuild } from '../src/flow/image-stream.js'
import { mergeImageStream, plannedTags, renderImageStream, trackedTags } from '../src/render/image-stream.js'
import { makePlan } from '../__fixtures__/dry-run/settings.js'

describe('the tags the ImageStream follows', () => {
  it('keeps the primary tags without a dash: 1.0 and latest, not 1.0-3', () => {
    expect(trackedTags(['registry.example.com:5000/acme/base:1.0-3', 'registry.example.com:5000/acme/base:1.0', 'registry.example.com:5000/acme/base:latest'])).toEqual(['1.0', 'latest'])
  })

  it('skips a version with a dash, and names each tag once over several registries', () => {
    const primary = ['r1.example.com/acme/base:2.1-rc1-4', 'r1.example.com/acme/base:2.1-rc1', 'r1.example.com/acme/base:latest', 'r2.example.com/acme/base:2.1-rc1', 'r2.example.com/acme/base:latest']
    expect(trackedTags(primary)).toEqual(['latest'])
  })

  it('before the build (dry run): the version label when it has no dash, and latest', () => {
    expect(plannedTags('1.0')).toEqual(['1.0', 'latest'])
    expect(plannedTags('1.0-beta')).toEqual(['latest'])
    expect(plannedTags('latest')).toEqual(['latest'])
  })

  it('after the build: from its repositories annotation, else from the labels', () => {
    const plan = makePlan({ 'registry-uri': 'https://registry.example.com/v2' })
    const primary = ['registry.example.com/acme/widget:1.0-7', 'registry.example.com/acme/widget:1.0', 'registry.example.com/acme/widget:latest']
    const build = (annotations: Record<string, string>) => ({ metadata: { name: 'widget-1', annotations } })
    expect(tagsOfBuild(build({ repositories: JSON.stringify({ primary, unique: ['registry.example.com/acme/widget-container:none-1-2'] }) }), plan)).toEqual(['1.0', 'latest'])
    expect(tagsOfBuild(build({}), plan)).toEqual(['1.0', 'latest'])
  })
})

describe('the ImageStream body', () => {
  it('secure registry: no insecure annotation, importPolicy scheduled and not insecure; spec tags only (no spec.dockerImageRepository, which 3.11 imports whole)', () => {
    expect(renderImageStream({ name: 'acme-base', repository: 'registry.example.com/acme/base', insecure: false, tags: ['1.0', 'latest'] })).toEqual({
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'acme-base' },
      spec: {
        tags: [
          { name: '1.0', from: { kind: 'DockerImage', name: 'registry.example.com/acme/base:1.0' }, importPolicy: { scheduled: true, insecure: false } },
          { name: 'latest', from: { kind: 'DockerImage', name: 'registry.example.com/acme/base:latest' }, importPolicy: { scheduled: true, insecure: false } }
        ]
      }
    })
  })

  it('insecure registry: the annotation osbs-client wrote, and insecure on each tag', () => {
    const stream = renderImageStream({ name: 'acme-base', repository: '127.0.0.1:5000/acme/base', insecure: true, tags: ['latest'] })
    expect(stream.metadata.annotations).toEqual({ 'openshift.io/image.insecureRepository': 'true' })
    expect(stream.spec.tags).toEqual([{ name: 'latest', from: { kind: 'DockerImage', name: '127.0.0.1:5000/acme/base:latest' }, importPolicy: { scheduled: true, insecure: true } }])
  })
})

describe('merging into an existing ImageStream', () => {
  const wanted = renderImageStream({ name: 'acme-base', repository: 'registry.example.com/acme/base', insecure: false, tags: ['1.0', 'latest'] })
  const existing = {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: {
      name: 'acme-base',
      resourceVersion: '41',
      labels: { team: 'base' },
      annotations: { 'openshift.io/image.dockerRepositoryCheck': '2026-01-01T00:00:00Z', 'openshift.io/image.insecureRepository': 'true', owner: 'someone' }
    },
    spec: {
      dockerImageRepository: 'old.example.com/acme/base',
      tags: [
        { name: 'stable', from: { kind: 'DockerImage', name: 'old.example.com/acme/base:stable' } },
        { name: 'latest', from: { kind: 'DockerImage', name: 'old.example.com/acme/base:latest' }, referencePolicy: { type: 'Local' }, importPolicy: {} }
      ]
    },
    status: { dockerImageRepository: '' }
  }

  it("keeps what others set (another repository too), replaces the action's tags, and drops the repository check (an import now)", () => {
    const merged = mergeImageStream(existing, wanted, 'registry.example.com/acme/base')
    expect(merged.metadata).toEqual({ name: 'acme-base', resourceVersion: '41', labels: { team: 'base' }, annotations: { owner: 'someone' } })
    expect(merged.spec).toEqual({
      dockerImageRepository: 'old.example.com/acme/base',
      tags: [
        { name: 'stable', from: { kind: 'DockerImage', name: 'old.example.com/acme/base:stable' } },
        { name: '1.0', from: { kind: 'DockerImage', name: 'registry.example.com/acme/base:1.0' }, importPolicy: { scheduled: true, insecure: false } },
        { name: 'latest', from: { kind: 'DockerImage', name: 'registry.example.com/acme/base:latest' }, referencePolicy: { type: 'Local' }, importPolicy: { scheduled: true, insecure: false } }
      ]
    })
    expect(merged.status).toEqual(existing.status)
  })

  it("a stream an earlier version wrote with spec.dockerImageRepository: the repository goes, with the spec tags 3.11's imports of it added", () => {
    const repository = 'registry.example.com/acme/base'
    const added = (tag: string) => ({ name: tag, from: { kind: 'DockerImage', name: `${repository}:${tag}` }, generation: 0, importPolicy: { insecure: false }, referencePolicy: { type: 'Source' } })
    const mine = (tag: string) => ({ name: tag, from: { kind: 'DockerImage', name: `${repository}:${tag}` }, generation: 3, importPolicy: { scheduled: true }, referencePolicy: { type: 'Source' } })
    const old = {
      ...existing,
      spec: {
        dockerImageRepository: repository,
        tags: [added('1.0-1'), added('1.0-2'), added('none-12345-20260101000000'), mine('0.9'), mine('1.0'), mine('latest'), existing.spec.tags[0]]
      }
    }
    const merged = mergeImageStream(old, wanted, repository)
    expect(merged.spec.dockerImageRepository).toBeUndefined()
    expect(merged.spec.tags.map((t) => t.name)).toEqual(['0.9', 'stable', '1.0', 'latest'])
    expect(merged.spec.tags[2]).toEqual({ ...mine('1.0'), importPolicy: { scheduled: true, insecure: false } })
    // the same tags in a stream that follows another repository are someone else's: kept
    expect(mergeImageStream(old, wanted, 'other.example.com/acme/base').spec.tags).toHaveLength(7)
  })
})

describe('what the import left in the status', () => {
  it('the image of each tag, or the reason OpenShift gives', () => {
    const stream = {
      metadata: { name: 'acme-base' },
      status: {
        tags: [
          { tag: 'latest', items: [{ image: 'sha256:' + 'a'.repeat(64), dockerImageReference: 'registry.example.com/acme/base@sha256:' + 'a'.repeat(64) }] },
          {
            tag: '1.0',
            items: null,
            conditions: [{ type: 'ImportSuccess', status: 'False', reason: 'NotFound', message: 'dockerimage.image.openshift.io "registry.example.com/acme/base:1.0" not found' }]
          }
        ]
      }
    }
    expect(importedTags(stream, ['1.0', 'latest', '2.0'])).toEqual([
      { tag: '1.0', error: 'dockerimage.image.openshift.io "registry.example.com/acme/base:1.0" not found' },
      { tag: 'latest', image: 'sha256:' + 'a'.repeat(64) },
      { tag: '2.0', error: 'OpenShift recorded no image for it' }
    ])
  })
})
