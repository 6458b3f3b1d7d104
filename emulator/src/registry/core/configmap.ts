/**
 * ConfigMaps: the row, the schema and Kubernetes 1.9's validation (`ValidateConfigMap`: keys, the size limit).
 * This file and its row in registry/index.ts are all a resource kind needs.
 */
import { ALL_VERBS, type ResourceDef } from '../../api/resources.js'
import { map, obj, ObjectMeta, str } from '../../api/schema.js'
import type { StatusCause } from '../../api/status.js'
import { CONFIG_KEY, invalidValue, validateMeta } from '../../api/validation.js'
import type { Resource } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'

export const def: ResourceDef = {
  plural: 'configmaps',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  group: '',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['cm'],
  legacy: false
}

export const ConfigMap = obj('ConfigMap', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  data: map(str),
  binaryData: map(str)
})

const CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
/** core.MaxSecretSize, also the limit of a ConfigMap's data */
export const MAX_CONFIG_SIZE = 1024 * 1024

function validateConfigMap(cm: any): StatusCause[] {
  const causes = validateMeta(cm.metadata)
  let size = 0
  const data = (cm.data ?? {}) as Record<string, string>
  const binary = (cm.binaryData ?? {}) as Record<string, string>
  for (const [k, v] of Object.entries(data)) {
    if (!CONFIG_KEY.test(k)) causes.push(invalidValue('data', k, CONFIG_KEY_MSG))
    size += v.length
  }
  for (const [k, v] of Object.entries(binary)) {
    if (!CONFIG_KEY.test(k)) causes.push(invalidValue('binaryData', k, CONFIG_KEY_MSG))
    if (k in data) causes.push(invalidValue('data', k, 'duplicate of key present in binaryData'))
    size += v.length
  }
  if (size > MAX_CONFIG_SIZE) causes.push({ reason: 'FieldValueTooLong', message: `Too long: must have at most ${MAX_CONFIG_SIZE} characters`, field: '' })
  return causes
}

export const configmaps: Resource<RegistryDeps> = {
  def,
  schema: ConfigMap,
  strategy: { validate: validateConfigMap, prepareForCreate: (cm) => cm, prepareForUpdate: (cm) => cm }
}
