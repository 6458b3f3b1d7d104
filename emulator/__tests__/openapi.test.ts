/**
 * The emulator against OpenShift's OpenAPI definitions (__fixtures__/openshift/openapi-*.json):
 * - every field of the emulator's hand-written write schema (registry/index.ts SCHEMAS) is a field of the OpenShift type, with the
 *   same type, in the 3.7 or the 4.x definitions;
 * - the bodies the emulator accepts, and the objects it answers with, validate against the definitions;
 * - bodies with mistyped fields are rejected (400) by the emulator and by the definitions alike.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readOpenShiftJson } from '../../__fixtures__/openshift-data.js'
import { startCluster, type Cluster } from '../src/index.js'
import type { Schema } from '../src/api/schema.js'
import { SCHEMAS } from '../src/registry/index.js'
import { buildConfigBody, call, eventually, ManualReactor, swaggerSchemaAt, type SwaggerDefs } from '../testing/client.js'

const defs37: SwaggerDefs = readOpenShiftJson('openapi-3.7-build-image.json').definitions
const defs4: SwaggerDefs = readOpenShiftJson('openapi-4-build-image-definitions.json').definitions

const V4_PREFIX: Record<string, string> = {
  BuildConfig: 'com.github.openshift.api.build.v1.',
  Build: 'com.github.openshift.api.build.v1.',
  BuildRequest: 'com.github.openshift.api.build.v1.',
  BuildList: 'com.github.openshift.api.build.v1.',
  BuildConfigList: 'com.github.openshift.api.build.v1.',
  ImageStream: 'com.github.openshift.api.image.v1.',
  ImageStreamList: 'com.github.openshift.api.image.v1.',
  ImageStreamTag: 'com.github.openshift.api.image.v1.',
  ImageStreamImport: 'com.github.openshift.api.image.v1.',
  Secret: 'io.k8s.api.core.v1.',
  Status: 'io.k8s.apimachinery.pkg.apis.meta.v1.',
  WatchEvent: 'io.k8s.apimachinery.pkg.apis.meta.v1.',
  DeleteOptions: 'io.k8s.apimachinery.pkg.apis.meta.v1.',
  APIResourceList: 'io.k8s.apimachinery.pkg.apis.meta.v1.',
  APIGroupList: 'io.k8s.apimachinery.pkg.apis.meta.v1.'
}

/** Swagger type of a schema, resolved through $ref; 'object' for properties/additionalProperties. */
function swaggerType(defs: SwaggerDefs, s: any): string | undefined {
  let guard = 0
  while (s?.$ref && guard++ < 50) s = defs[s.$ref.replace('#/definitions/', '')]
  if (!s) return undefined
  if (s.type) return s.type
  if (s.properties || s.additionalProperties) return 'object'
  return 'any'
}

const EXPECTED: Record<Schema['t'], string[]> = {
  string: ['string'],
  integer: ['integer'],
  number: ['number'],
  boolean: ['boolean'],
  any: ['string', 'integer', 'number', 'boolean', 'object', 'array', 'any'],
  object: ['object', 'any'],
  array: ['array'],
  map: ['object']
}

/** [path, schema] for every field of a write schema. */
function schemaFields(s: Schema, prefix = ''): Array<[string, Schema]> {
  const out: Array<[string, Schema]> = []
  if (s.t === 'object') {
    for (const [k, sub] of Object.entries(s.props)) {
      const p = prefix ? `${prefix}.${k}` : k
      out.push([p, sub], ...schemaFields(sub, p))
    }
  } else if (s.t === 'array') out.push(...schemaFields(s.items, `${prefix}[]`))
  else if (s.t === 'map') out.push(...schemaFields(s.values, `${prefix}.*`))
  return out
}

/** Validation errors of `value` against definition `root` (types, unknown properties, required properties). */
function validate(defs: SwaggerDefs, root: string, value: unknown): string[] {
  const errors: string[] = []
  const walk = (s: any, v: unknown, path: string) => {
    let guard = 0
    while (s?.$ref && guard++ < 50) s = defs[s.$ref.replace('#/definitions/', '')]
    if (!s || v === null || v === undefined) return
    const t = swaggerType(defs, s)
    const actual = Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v
    if (t === 'any') return
    if (t === 'number' && actual === 'integer') return
    if (t !== actual) {
      errors.push(`${path || '<root>'}: ${actual}, want ${t}`)
      return
    }
    if (t === 'array') (v as unknown[]).forEach((x, i) => walk(s.items, x, `${path}[${i}]`))
    if (t === 'object') {
      const o = v as Record<string, unknown>
      for (const r of s.required ?? []) if (o[r] === undefined) errors.push(`${path ? `${path}.` : ''}${r}: required`)
      for (const [k, x] of Object.entries(o)) {
        const p = path ? `${path}.${k}` : k
        if (s.properties?.[k]) walk(s.properties[k], x, p)
        else if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, x, p)
        else if (s.properties) errors.push(`${p}: unknown field`)
      }
    }
  }
  walk({ $ref: `#/definitions/${root}` }, value, '')
  return errors
}

/** Valid when each error of the 3.7 definitions is absent from the 4.x ones (fields added in 4.x are fine). */
function validateBoth(kind: string, value: unknown): string[] {
  const a = defs37[`v1.${kind}`] ? validate(defs37, `v1.${kind}`, value) : undefined
  const b = validate(defs4, `${V4_PREFIX[kind]}${kind}`, value)
  if (!a) return b
  return a.filter((e) => b.includes(e))
}

let cluster: Cluster
const pods = new ManualReactor()
const B = '/apis/build.openshift.io/v1/namespaces/osbs'
const I = '/apis/image.openshift.io/v1/namespaces/osbs'

beforeAll(async () => {
  cluster = await startCluster({ port: 0, reactor: pods.reactor, podStartDelay: 1 })
})
afterAll(async () => {
  await cluster.close()
})

describe('the write schema is a subset of OpenShift types', () => {
  // Kinds without a definition in the shared OpenAPI files (core types beyond Secret) are checked by their own tests.
  for (const kind of Object.keys(SCHEMAS).filter((k) => !['Namespace', 'ConfigMap', 'ResourceQuota', 'ServiceAccount'].includes(k))) {
    it(kind, () => {
      const problems: string[] = []
      for (const [path, s] of schemaFields(SCHEMAS[kind]!)) {
        const openapiPath = path.replace(/\.\*(?=\.|$)/g, '.anykey')
        const found = [swaggerSchemaAt(defs37, `v1.${kind}`, openapiPath), swaggerSchemaAt(defs4, `${V4_PREFIX[kind]}${kind}`, openapiPath)]
        const types = found.map((f, i) => (f ? swaggerType(i === 0 ? defs37 : defs4, f) : undefined)).filter((t): t is string => !!t)
        if (!types.length) problems.push(`${kind}.${path}: not in OpenShift's ${kind}`)
        else if (!types.some((t) => EXPECTED[s.t].includes(t))) problems.push(`${kind}.${path}: ${s.t} here, ${types.join('/')} in OpenShift`)
      }
      expect(problems).toEqual([])
    })
  }
})

describe('accepted bodies and served objects validate against the definitions', () => {
  const bodies: Array<[string, string, string, any]> = []
  beforeAll(() => {
    const bc = buildConfigBody('oa-bc', {
      runPolicy: 'Parallel',
      triggers: [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:latest' } } }]
    })
    bc.metadata.annotations = { 'example.com/by': 'test' }
    bc.spec.strategy.customStrategy.secrets = [{ secretSource: { name: 'pulp' }, mountPath: '/var/run/secrets/atomic-reactor/pulp' }]
    bc.spec.strategy.customStrategy.env.push({ name: 'REACTOR_CONFIG', valueFrom: { configMapKeyRef: { name: 'reactor-config', key: 'config.yaml' } } })
    bc.spec.completionDeadlineSeconds = 3600
    bc.spec.resources = { limits: { memory: '1Gi' } }
    bodies.push(
      ['BuildConfig', 'POST', `${B}/buildconfigs`, bc],
      [
        'BuildRequest',
        'POST',
        `${B}/buildconfigs/oa-bc/instantiate`,
        {
          kind: 'BuildRequest',
          apiVersion: 'build.openshift.io/v1',
          metadata: { name: 'oa-bc', annotations: { 'example.com/run': 'https://ci.example.com/run/1' } },
          revision: { type: 'Git', git: { commit: 'a'.repeat(40), message: 'm', author: { name: 'A', email: 'a@example.com' }, committer: { name: 'C', email: 'c@example.com' } } },
          triggeredBy: [{ message: 'Started by a test' }]
        }
      ],
      [
        'Build',
        'POST',
        `${B}/builds`,
        {
          kind: 'Build',
          apiVersion: 'build.openshift.io/v1',
          metadata: { name: 'oa-direct' },
          spec: { source: bc.spec.source, strategy: bc.spec.strategy, output: bc.spec.output, triggeredBy: [{ message: 'direct' }] }
        }
      ],
      [
        'ImageStream',
        'POST',
        `${I}/imagestreams`,
        {
          kind: 'ImageStream',
          apiVersion: 'image.openshift.io/v1',
          metadata: { name: 'oa-is' },
          spec: {
            lookupPolicy: { local: false },
            tags: [{ name: 'latest', from: { kind: 'DockerImage', name: 'registry.example.com/x/y:latest' }, importPolicy: { insecure: true }, referencePolicy: { type: 'Source' } }]
          }
        }
      ],
      [
        'ImageStreamTag',
        'POST',
        `${I}/imagestreamtags`,
        // the fields OpenShift's ImageStreamTag type marks as required are sent, as `oc tag` does
        {
          kind: 'ImageStreamTag',
          apiVersion: 'image.openshift.io/v1',
          metadata: { name: 'oa-is:v2' },
          tag: { name: 'v2', from: { kind: 'DockerImage', name: 'registry.example.com/x/y:v2' } },
          generation: 0,
          lookupPolicy: { local: false },
          image: { metadata: {}, dockerImageLayers: [] }
        }
      ],
      [
        'ImageStreamImport',
        'POST',
        `${I}/imagestreamimports`,
        {
          kind: 'ImageStreamImport',
          apiVersion: 'image.openshift.io/v1',
          metadata: { name: 'oa-imp' },
          spec: { import: true, images: [{ from: { kind: 'DockerImage', name: 'registry.example.com/a/b:1' }, to: { name: '1' } }] },
          status: {}
        }
      ],
      ['Secret', 'POST', '/api/v1/namespaces/osbs/secrets', { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'oa-secret' }, type: 'Opaque', data: { token: Buffer.from('t').toString('base64') } }]
    )
    for (const b of bodies) b[3] = JSON.parse(JSON.stringify(b[3]))
  })

  it('each body is accepted (2xx) and valid; the answer is a valid object of its kind', async () => {
    for (const [kind, method, path, body] of bodies) {
      expect([kind, validateBoth(kind, body)]).toEqual([kind, []])
      const r = await call(cluster, method, path, { body, headers: { Accept: 'application/json' } })
      expect([kind, r.status, r.headers.warning]).toEqual([kind, 201, undefined])
      const answerKind = kind === 'BuildRequest' ? 'Build' : kind
      expect([kind, validateBoth(answerKind, r.body)]).toEqual([kind, []])
    }
  })

  it('lists, a finished Build, watch events, Status bodies and discovery validate too', async () => {
    const name = (await call(cluster, 'POST', `${B}/buildconfigs/oa-bc/instantiate`, { body: { metadata: { name: 'oa-bc' } } })).body.metadata.name
    await pods.waitStarted(name)
    pods.finish(name, { success: false, reason: 'GenericBuildFailed', message: 'Generic Build failure - check logs for details.' })
    await eventually(() => cluster.store.get('builds', 'osbs', name)?.status.phase === 'Failed')
    expect(validateBoth('Build', (await call(cluster, 'GET', `${B}/builds/${name}`)).body)).toEqual([])
    expect(validateBoth('BuildList', (await call(cluster, 'GET', `${B}/builds`)).body)).toEqual([])
    expect(validateBoth('BuildConfigList', (await call(cluster, 'GET', `${B}/buildconfigs`)).body)).toEqual([])
    expect(validateBoth('ImageStreamList', (await call(cluster, 'GET', `${I}/imagestreams`)).body)).toEqual([])
    expect(validateBoth('ImageStreamTag', (await call(cluster, 'GET', `${I}/imagestreamtags/oa-is:latest`)).body)).toEqual([])
    const w = await call(cluster, 'GET', `${B}/builds?watch=true&timeoutSeconds=1`)
    const events = w.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(events.length).toBeGreaterThan(0)
    for (const e of events) {
      expect(validateBoth('WatchEvent', e)).toEqual([])
      expect(validateBoth('Build', e.object)).toEqual([])
    }
    for (const r of [
      await call(cluster, 'GET', `${B}/builds/none`),
      await call(cluster, 'POST', `${B}/buildconfigs`, { body: { metadata: { name: 'oa-bad' }, spec: { strategy: {} } } }),
      await call(cluster, 'POST', `${B}/buildconfigs/none/instantiate`, { body: { metadata: { name: 'none' } } })
    ]) {
      expect(r.status).toBeGreaterThanOrEqual(400)
      expect(validateBoth('Status', r.body)).toEqual([])
    }
    expect(validateBoth('APIResourceList', (await call(cluster, 'GET', '/apis/build.openshift.io/v1')).body)).toEqual([])
    expect(validateBoth('APIGroupList', (await call(cluster, 'GET', '/apis')).body)).toEqual([])
  })

  it('mistyped bodies are invalid for the definitions and rejected with 400 by the emulator', async () => {
    const cases: Array<[string, string, any]> = [
      ['BuildConfig', `${B}/buildconfigs`, { ...buildConfigBody('oa-t1'), spec: { ...buildConfigBody('oa-t1').spec, completionDeadlineSeconds: '60' } }],
      ['BuildConfig', `${B}/buildconfigs`, { ...buildConfigBody('oa-t2'), metadata: { name: 'oa-t2', labels: ['a'] } }],
      ['ImageStream', `${I}/imagestreams`, { metadata: { name: 'oa-t3' }, spec: { tags: { name: 'latest' } } }],
      ['Secret', '/api/v1/namespaces/osbs/secrets', { metadata: { name: 'oa-t4' }, data: { a: 1 } }]
    ]
    for (const [kind, path, body] of cases) {
      expect(validateBoth(kind, body).length).toBeGreaterThan(0)
      const r = await call(cluster, 'POST', path, { body })
      expect([kind, r.status, r.body.reason]).toEqual([kind, 400, 'BadRequest'])
    }
  })

  it('the validator itself catches unknown fields and missing required ones', () => {
    expect(validate(defs37, 'v1.BuildConfig', { metadata: {}, spec: { bogus: 1, strategy: {} } })).toEqual(expect.arrayContaining(['spec.bogus: unknown field']))
    expect(validate(defs37, 'v1.Build', { metadata: {}, spec: { strategy: { customStrategy: { from: { kind: 'DockerImage' }, exposeDockerSocket: 'x' } } } })).toEqual(
      expect.arrayContaining(['spec.strategy.customStrategy.exposeDockerSocket: string, want boolean'])
    )
  })
})

/** The fields of a protobuf message's top level: field number → its length-delimited payloads. */
function protobufFields(buf: Buffer): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>()
  let i = 0
  const varint = () => {
    let n = 0
    let shift = 0
    for (;;) {
      const b = buf[i++]!
      n += (b & 0x7f) * 2 ** shift
      shift += 7
      if (!(b & 0x80)) return n
    }
  }
  while (i < buf.length) {
    const key = varint()
    const wire = key % 8
    if (wire === 0) varint()
    else if (wire === 2) {
      const len = varint()
      out.set(Math.floor(key / 8), [...(out.get(Math.floor(key / 8)) ?? []), buf.subarray(i, i + len)])
      i += len
    } else throw new Error(`wire type ${wire}`)
  }
  return out
}

describe("/openapi/v2 is OpenShift 3.11's, as its master serves it", () => {
  const get = (headers: Record<string, string>) => fetch(`${cluster.url}/openapi/v2`, { headers: { Authorization: `Bearer ${cluster.token}`, ...headers } })

  it('JSON: the recorded document, BuildConfigSpec.nodeSelector/triggers/strategy and BuildConfig.status required', async () => {
    const r = await get({ Accept: 'application/json' })
    expect([r.status, r.headers.get('content-type'), r.headers.get('etag')]).toEqual([200, 'text/plain; charset=utf-8', expect.stringMatching(/^"[0-9A-F]{128}"$/)])
    const doc = (await r.json()) as any
    expect(doc.info).toMatchObject({ title: 'OpenShift API (with Kubernetes)', version: 'v3.11.0+0cbc58b' })
    expect([Object.keys(doc.paths).length, Object.keys(doc.definitions).length]).toEqual([781, 696])
    expect(doc.definitions['com.github.openshift.api.build.v1.BuildConfigSpec'].required).toEqual(['triggers', 'strategy', 'nodeSelector'])
    expect(doc.definitions['com.github.openshift.api.build.v1.BuildConfig'].required).toEqual(['spec', 'status'])
  })

  it("protobuf (kubectl's Accept): the same document in gnostic's encoding, gzipped when asked; 304 for its ETag; 406 for other types", async () => {
    const r = await get({ Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'Accept-Encoding': 'gzip' })
    expect([r.status, r.headers.get('content-type')]).toEqual([200, 'application/octet-stream'])
    const top = protobufFields(Buffer.from(await r.arrayBuffer()))
    expect(top.get(1)!.map(String)).toEqual(['2.0'])
    const info = protobufFields(top.get(2)![0]!)
    expect([String(info.get(1)![0]), String(info.get(2)![0])]).toEqual(['OpenShift API (with Kubernetes)', 'v3.11.0+0cbc58b'])
    expect((await get({ Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'If-None-Match': r.headers.get('etag')! })).status).toBe(304)
    expect((await get({ Accept: 'text/html' })).status).toBe(406)
  })
})
