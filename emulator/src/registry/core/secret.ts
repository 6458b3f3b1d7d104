/** Secrets: the row and its strategy (Kubernetes' `registry/core/secret`: stringData into data, the type). */
import type { KubeObject } from '../../api/object.js'
import { ALL_VERBS, type ResourceDef } from '../../api/resources.js'
import { map, ObjectMeta, obj, str } from '../../api/schema.js'
import { badRequest, type StatusCause } from '../../api/status.js'
import { CONFIG_KEY, invalidValue, validateMeta } from '../../api/validation.js'
import type { Resource } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'

export const def: ResourceDef = {
  plural: 'secrets',
  kind: 'Secret',
  listKind: 'SecretList',
  group: '',
  namespaced: true,
  verbs: ALL_VERBS,
  legacy: false,
  fields: { type: (o) => o.type }
}

export const Secret = obj('Secret', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  data: map(str),
  stringData: map(str),
  type: str
})

export function validateSecret(s: any): StatusCause[] {
  const causes = validateMeta(s.metadata)
  for (const m of ['data', 'stringData']) {
    for (const k of Object.keys(s[m] ?? {})) {
      if (!CONFIG_KEY.test(k))
        causes.push(
          invalidValue(
            `${m}[${k}]`,
            k,
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
          )
        )
    }
  }
  return causes
}

/** Go's base64 decoding of `data` (a 400 at decoding, before validation). */
function checkBase64(body: any): void {
  for (const [k, v] of Object.entries((body.data ?? {}) as Record<string, string>)) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
      const bad = v.search(/[^A-Za-z0-9+/=]/)
      throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${bad >= 0 ? bad : v.length} (data[${k}])`)
    }
  }
}

function prepare(s: KubeObject): KubeObject {
  const data: Record<string, string> = { ...((s.data as Record<string, string>) ?? {}) }
  for (const [k, v] of Object.entries((s.stringData as Record<string, string>) ?? {})) data[k] = Buffer.from(v, 'utf8').toString('base64')
  delete s.stringData
  s.data = data
  s.type ||= 'Opaque'
  return s
}

export const secrets: Resource<RegistryDeps> = {
  def,
  schema: Secret,
  checkDecoded: checkBase64,
  strategy: { validate: (s) => validateSecret(s), prepareForCreate: prepare, prepareForUpdate: prepare }
}
