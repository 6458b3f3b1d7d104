/** Namespaces: the row, its strategy (Kubernetes' `registry/core/namespace`), and its deletion with its content. */
import type { KubeObject } from '../../api/object.js'
import type { ResourceDef } from '../../api/resources.js'
import { arr, obj, ObjectMeta, str } from '../../api/schema.js'
import type { StatusCause } from '../../api/status.js'
import { isDNSLabel, validateMeta } from '../../api/validation.js'
import type { Resource } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'

export const def: ResourceDef = {
  plural: 'namespaces',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  group: '',
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  shortNames: ['ns'],
  legacy: false,
  fields: { 'status.phase': (o) => o.status?.phase }
}

export const Namespace = obj('Namespace', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('NamespaceSpec', { finalizers: arr(str) }),
  status: obj('NamespaceStatus', { phase: str })
})

export function validateNamespace(n: any): StatusCause[] {
  return validateMeta(n.metadata, {
    nameCheck: (x) => (isDNSLabel(x) ? undefined : "a DNS-1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character")
  })
}

function prepare(n: KubeObject): KubeObject {
  n.spec = { finalizers: ['kubernetes'], ...(n.spec ?? {}) }
  n.status = { phase: 'Active' }
  delete n.metadata.namespace
  return n
}

export const namespaces: Resource<RegistryDeps> = {
  def,
  schema: Namespace,
  strategy: {
    validate: (n) => validateNamespace(n),
    prepareForCreate: prepare,
    prepareForUpdate: prepare,
    // what the namespace controller does once the namespace is gone: every object in it deleted
    deleted(n, ctx) {
      for (const p of Object.keys(ctx.resources)) for (const o of ctx.store.peekList(p, n.metadata.name)) ctx.store.delete(p, n.metadata.name, o.metadata.name)
    }
  }
}
