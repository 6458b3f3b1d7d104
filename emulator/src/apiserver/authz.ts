/**
 * What an account may do beyond reading and writing the namespace's objects: the one grant OpenShift 3.11 keeps
 * from every account by default, the cluster role `system:build-strategy-custom` (`create` on `builds/custom` in
 * `build.openshift.io`), which its admission plugin BuildByStrategy asks for before any write of a Custom-strategy
 * BuildConfig or Build. The subjects bound to the role are those of a ClusterRoleBinding (`User`, `Group`,
 * `ServiceAccount`), as `oc adm policy add-cluster-role-to-user system:build-strategy-custom` writes them. Every
 * other access is allowed here (the local OpenShift has no other RBAC).
 */
import { CLUSTER_USER, type Identity } from './authn.js'

export const CUSTOM_STRATEGY_ROLE = 'system:build-strategy-custom'

/** A subject of a ClusterRoleBinding (rbac.authorization.k8s.io/v1). */
export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount'
  name: string
  /** a ServiceAccount's namespace */
  namespace?: string
}

/**
 * The grant of an OSBS deployment: the cluster's user and the service accounts `builder` and `deployer` of the
 * namespaces given; the `default` service account and any other account lack it.
 */
export function defaultCustomStrategySubjects(namespaces: readonly string[]): Subject[] {
  return [{ kind: 'User', name: CLUSTER_USER }, ...namespaces.flatMap((namespace) => ['builder', 'deployer'].map((name): Subject => ({ kind: 'ServiceAccount', name, namespace })))]
}

/** The identity is one of the subjects (by its name, one of its groups, or as the service account it is). */
export function isBound(subjects: readonly Subject[], id: Identity | undefined): boolean {
  if (!id) return false
  return subjects.some((s) => {
    if (s.kind === 'User') return s.name === id.name
    if (s.kind === 'Group') return id.groups.includes(s.name)
    return id.name === `system:serviceaccount:${s.namespace}:${s.name}`
  })
}

/** The access a SelfSubjectAccessReview asks about (`spec.resourceAttributes`). */
export interface ResourceAttributes {
  namespace?: string
  verb?: string
  group?: string
  resource?: string
  subresource?: string
  name?: string
}

/** Whether the access is the Custom build strategy's (the admission plugin asks it for the legacy group too). */
export function isCustomStrategyAccess(a: ResourceAttributes): boolean {
  return a.verb === 'create' && (a.group === 'build.openshift.io' || a.group === '') && a.resource === 'builds' && a.subresource === 'custom'
}

/** What the account may do: the rule of the admission plugin and of a SelfSubjectAccessReview's answer. */
export function allowed(subjects: readonly Subject[], id: Identity | undefined, a: ResourceAttributes): boolean {
  if (!id) return false
  return isCustomStrategyAccess(a) ? isBound(subjects, id) : true
}

/**
 * Whether RBAC refuses every request of the local OpenShift's accounts in this namespace: one of the platform's
 * (`kube-system`, `openshift-*`), unless the local OpenShift has it (started with it, or created through the API):
 * then it is one of the cluster's projects.
 */
export function platformNamespace(namespace: string | undefined, own: (ns: string) => boolean): boolean {
  if (!namespace || own(namespace)) return false
  return namespace === 'kube-system' || namespace.startsWith('openshift-')
}

/** The RBAC verb of a request (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`). */
export function rbacVerb(method: string, named: boolean, watch: boolean): string {
  if (watch) return 'watch'
  switch (method) {
    case 'GET':
    case 'HEAD':
      return named ? 'get' : 'list'
    case 'POST':
      return 'create'
    case 'PUT':
      return 'update'
    case 'PATCH':
      return 'patch'
    case 'DELETE':
      return named ? 'delete' : 'deletecollection'
    default:
      return method.toLowerCase()
  }
}
