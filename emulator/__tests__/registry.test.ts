/** In-memory registries, Pulp environments and the docker registry v2 read endpoint. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { handleRegistryRequest } from '../src/images/http.js'
import { ImageRegistries } from '../src/images/registries.js'
import { MEDIA_TYPE_V1, MEDIA_TYPE_V2, type ImageContent } from '../src/images/manifests.js'
import { normalizePullSpec, parsePullSpec } from '../src/images/pullspec.js'

const image = (n: number, labels: Record<string, string> = {}): ImageContent => ({
  imageId: 'sha256:' + createHash('sha256').update(`img${n}`).digest('hex'),
  labels: { name: 'myproj/app', version: '1.0', ...labels },
  layers: ['sha256:' + createHash('sha256').update(`layer${n}`).digest('hex')],
  created: '2017-10-02T18:42:57Z'
})

describe('ImageRegistries', () => {
  it('pushes tags, serves digests, deletes by digest', () => {
    const r = new ImageRegistries()
    const a = r.push('registry.example.com:5000', 'myproj/app', '1.0-1', image(1, { release: '1' }))
    const b = r.push('registry.example.com:5000', 'myproj/app', 'latest', image(1, { release: '1' }))
    expect(a.v2).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(b.v2).toBe(a.v2) // schema 2: same image, same digest under every tag
    expect(b.v1).not.toBe(a.v1) // schema 1 manifests name the tag
    const reg = r.findRegistry('http://registry.example.com:5000/v2')!
    expect(reg.tags('myproj/app')).toEqual(['1.0-1', 'latest'])
    expect(reg.get('myproj/app', 'latest')!.digest).toBe(a.v2)
    expect(reg.deleteManifest('myproj/app', a.v2)).toBe(true)
    expect(reg.tags('myproj/app')).toEqual([])
    expect(reg.deleteManifest('myproj/app', a.v2)).toBe(false)
  })

  it('tracks the highest release per name and version, even after deletion', () => {
    const r = new ImageRegistries()
    expect(r.highestRelease('myproj/app', '1.0')).toBe(0)
    r.push('reg:5000', 'myproj/app', '1.0-3', image(3, { release: '3' }))
    r.push('reg:5000', 'myproj/app', '2.0-7', image(7, { version: '2.0', release: '7' }))
    r.pulpPush('prod', 'myproj/app', ['1.0-5'], image(5, { release: '5' }), 'ab'.repeat(32))
    expect(r.highestRelease('myproj/app', '1.0')).toBe(5)
    expect(r.highestRelease('myproj/app', '2.0')).toBe(7)
    expect(r.highestRelease('other/app', '1.0')).toBe(0)
    const d = r.findRegistry('reg:5000')!.get('myproj/app', '2.0-7')!.digest
    r.findRegistry('reg:5000')!.deleteManifest('myproj/app', d)
    expect(r.highestRelease('myproj/app', '2.0')).toBe(7)
  })

  it('names crane hosts from the options or the pattern', () => {
    const r = new ImageRegistries({ craneHosts: { prod: 'https://crane.example.com/v1/repositories' } })
    expect(r.craneHost('prod')).toBe('crane.example.com')
    expect(r.craneHost('Stage_1')).toBe('crane-stage-1.example.com')
    expect(new ImageRegistries({ craneHostPattern: '{name}.crane.test:8080' }).craneHost('qa')).toBe('qa.crane.test:8080')
  })

  it('pulp_sync copies every tag of the repository from the v2 registry', () => {
    const r = new ImageRegistries()
    r.push('reg:5000', 'myproj/app', 'old', image(0))
    r.push('reg:5000', 'myproj/app', '1.0-1', image(1, { release: '1' }))
    expect(r.pulpSync('prod', 'http://reg:5000', 'myproj/app')).toEqual(['1.0-1', 'old'])
    const env = r.pulpEnvironment('prod')
    expect(env.repository('myproj/app')!.id).toBe('redhat-myproj-app')
    expect(r.lookup('crane-prod.example.com/myproj/app:old')!.digest).toBe(r.lookup('reg:5000/myproj/app:old')!.digest)
    expect(() => r.pulpSync('prod', 'reg:5000', 'missing/repo')).toThrow(/repository not found/)
    expect(() => r.pulpSync('prod', 'nowhere:1', 'myproj/app')).toThrow(/repository not found/)
  })

  it('resolves external images deterministically and moves them when published', () => {
    const r = new ImageRegistries()
    const a = r.resolveImage('fedora:latest')
    expect(a.hosted).toBe(false)
    expect(new ImageRegistries().resolveImage('docker.io/library/fedora').digest).toBe(a.digest)
    const p = r.publishExternal('fedora:latest')
    expect(p.digest).not.toBe(a.digest)
    expect(r.resolveImage('fedora').digest).toBe(p.digest)
    expect(r.publishExternal('fedora').digest).not.toBe(p.digest)
    expect(normalizePullSpec('reg:5000/ns/x@sha256:ab')).toBe('reg:5000/ns/x@sha256:ab')
    expect(parsePullSpec('localhost/foo:1')).toEqual({ registry: 'localhost', repository: 'foo', reference: '1' })
    expect(parsePullSpec('fedora23/python')).toEqual({ registry: undefined, repository: 'fedora23/python', reference: 'latest' })
  })
})

describe('handleRegistryRequest', () => {
  const registries = new ImageRegistries()
  let server: Server
  let base: string
  let digest: string
  beforeAll(async () => {
    digest = registries.push('registry.example.com:5000', 'myproj/app', 'latest', image(1)).v2
    registries.push('other.example.com', 'myproj/app', 'latest', image(2))
    registries.push('registry.example.com:5000', 'myproj/app', 'v1only', image(3))
    registries.pulpSync('prod', 'registry.example.com:5000', 'myproj/app')
    server = createServer((req, res) => {
      void handleRegistryRequest(req, res, registries).then((handled) => {
        if (!handled) {
          res.writeHead(418)
          res.end('not mine')
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('answers the base endpoint and leaves other paths alone', async () => {
    const res = await fetch(`${base}/v2/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0')
    expect(await res.json()).toEqual({})
    expect((await fetch(`${base}/apis`)).status).toBe(418)
  })

  it('serves manifests with Docker-Content-Digest, chosen by ?registry= or path prefix', async () => {
    const res = await fetch(`${base}/v2/myproj/app/manifests/latest?registry=registry.example.com:5000`, { headers: { Accept: MEDIA_TYPE_V2 } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(MEDIA_TYPE_V2)
    expect(res.headers.get('docker-content-digest')).toBe(digest)
    const body = await res.text()
    expect('sha256:' + createHash('sha256').update(body).digest('hex')).toBe(digest)
    expect(JSON.parse(body).config.digest).toBe(image(1).imageId)

    const other = await fetch(`${base}/registries/other.example.com/v2/myproj/app/manifests/latest`)
    expect(other.headers.get('docker-content-digest')).not.toBe(digest)
    // by digest, HEAD
    const head = await fetch(`${base}/v2/myproj/app/manifests/${digest}?registry=registry.example.com:5000`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('docker-content-digest')).toBe(digest)
    // schema 1 when only that is acceptable
    const v1 = await fetch(`${base}/v2/myproj/app/manifests/latest?registry=registry.example.com:5000`, { headers: { Accept: MEDIA_TYPE_V1 } })
    expect(v1.headers.get('content-type')).toBe(MEDIA_TYPE_V1)
    expect(((await v1.json()) as any).tag).toBe('latest')
    // crane serves what pulp_sync copied
    const crane = await fetch(`${base}/v2/myproj/app/manifests/latest?registry=crane-prod.example.com`)
    expect(crane.headers.get('docker-content-digest')).toBe(digest)
    // config blob and tag list
    const blob = await fetch(`${base}/v2/myproj/app/blobs/${image(1).imageId}?registry=registry.example.com:5000`)
    expect(JSON.parse(await blob.text()).config.Labels.name).toBe('myproj/app')
    const tags = await (await fetch(`${base}/v2/myproj/app/tags/list?registry=registry.example.com:5000`)).json()
    expect(tags).toEqual({ name: 'myproj/app', tags: ['latest', 'v1only'] })
    const catalog = await (await fetch(`${base}/v2/_catalog?registry=registry.example.com:5000`)).json()
    expect(catalog).toEqual({ repositories: ['myproj/app'] })
  })

  it('serves the registry named by the Host header without a query', async () => {
    const address = new URL(base).host
    const d = registries.push(address, 'self/app', '1', image(9)).v2
    const res = await fetch(`${base}/v2/self/app/manifests/1`)
    expect(res.status).toBe(200)
    expect(res.headers.get('docker-content-digest')).toBe(d)
    // no query, unknown Host: the first registry holding the repository
    const any = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${base}/v2/myproj/app/manifests/latest`, { headers: { Host: 'elsewhere.invalid' } }, resolve)
      req.on('error', reject)
      req.end()
    })
    any.resume()
    expect(any.statusCode).toBe(200)
    expect(any.headers['docker-content-digest']).toBe(digest)
    // a Host naming a registry without the repository: that registry answers
    expect((await fetch(`${base}/v2/myproj/app/manifests/latest`)).status).toBe(404)
  })

  it('answers unknown names with docker-registry errors', async () => {
    const noRepo = await fetch(`${base}/v2/nope/app/manifests/latest?registry=registry.example.com:5000`)
    expect(noRepo.status).toBe(404)
    expect(await noRepo.json()).toEqual({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name: 'nope/app' } }] })
    const noTag = await fetch(`${base}/v2/myproj/app/manifests/9.9?registry=registry.example.com:5000`)
    expect(noTag.status).toBe(404)
    expect(((await noTag.json()) as any).errors[0]).toMatchObject({ code: 'MANIFEST_UNKNOWN', detail: { Tag: '9.9' } })
    const noRegistry = await fetch(`${base}/v2/myproj/app/manifests/latest?registry=unknown.example.com`)
    expect(noRegistry.status).toBe(404)
    const noBlob = await fetch(`${base}/v2/myproj/app/blobs/sha256:${'0'.repeat(64)}?registry=registry.example.com:5000`)
    expect(((await noBlob.json()) as any).errors[0].code).toBe('BLOB_UNKNOWN')
  })

  it('deletes a manifest by digest', async () => {
    const d = registries.findRegistry('registry.example.com:5000')!.get('myproj/app', 'v1only')!.digest
    const del = await fetch(`${base}/v2/myproj/app/manifests/${d}?registry=registry.example.com:5000`, { method: 'DELETE' })
    expect(del.status).toBe(202)
    const again = await fetch(`${base}/v2/myproj/app/manifests/${d}?registry=registry.example.com:5000`, { method: 'DELETE' })
    expect(again.status).toBe(404)
    expect(registries.findRegistry('registry.example.com:5000')!.tags('myproj/app')).toEqual(['latest'])
  })
})
