/**
 * What discovery and the REST machinery need to know about a resource (its row's `def`; each resource's is in its
 * folder under registry/), the API groups, and the apiVersion an object is served with.
 */

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch'

export interface ResourceDef {
  /** plural, e.g. `builds` */
  plural: string
  kind: string
  listKind: string
  /** `build.openshift.io`, `image.openshift.io`, or `''` for core v1 */
  group: string
  namespaced: boolean
  verbs: Verb[]
  shortNames?: string[]
  categories?: string[]
  /** field selector keys beyond metadata.name / metadata.namespace */
  fields?: Record<string, (o: any) => string | undefined>
  /** served under the legacy /oapi/v1 prefix too */
  legacy: boolean
}

/** every verb of a stored resource */
export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

export const BUILD_GROUP = 'build.openshift.io'
export const IMAGE_GROUP = 'image.openshift.io'
export const USER_GROUP = 'user.openshift.io'

/** apiVersion of an object served under the given prefix. */
export function apiVersionFor(def: ResourceDef, legacy: boolean): string {
  if (!def.group || legacy) return 'v1'
  return `${def.group}/v1`
}
