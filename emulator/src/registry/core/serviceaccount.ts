/** ServiceAccounts: the row and Kubernetes 1.9's validation (their tokens are the token controller's, authn.ts). */
import { ALL_VERBS, type ResourceDef } from '../../api/resources.js'
import { arr, bool, LocalObjectReference, obj, ObjectMeta, ObjectReference, str } from '../../api/schema.js'
import type { StatusCause } from '../../api/status.js'
import { validateMeta } from '../../api/validation.js'
import type { Resource } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'

export const def: ResourceDef = {
  plural: 'serviceaccounts',
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  group: '',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['sa'],
  legacy: false
}

export const ServiceAccount = obj('ServiceAccount', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  secrets: arr(ObjectReference),
  imagePullSecrets: arr(LocalObjectReference),
  automountServiceAccountToken: bool
})

function validateServiceAccount(sa: any): StatusCause[] {
  const causes = validateMeta(sa.metadata)
  for (const [i, s] of ((sa.secrets ?? []) as any[]).entries()) {
    if (!s?.name) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `secrets[${i}].name` })
  }
  return causes
}

export const serviceaccounts: Resource<RegistryDeps> = {
  def,
  schema: ServiceAccount,
  strategy: { validate: validateServiceAccount, prepareForCreate: (sa) => sa, prepareForUpdate: (sa) => sa }
}
