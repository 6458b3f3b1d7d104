/**
 * The permission a Custom-strategy build needs, in words for people. OpenShift's admission plugin BuildByStrategy
 * refuses a BuildConfig or Build of the Custom strategy (create, update, instantiate, clone, the cancel PATCH) with
 * 403 `build strategy Custom is not allowed` unless the account may `create` `builds/custom` in
 * `build.openshift.io`; only the cluster role `system:build-strategy-custom` grants it, and no account has it by
 * default. Pure: no I/O.
 */
export const CUSTOM_STRATEGY_ROLE = 'system:build-strategy-custom'

/** The access the admission plugin checks, as a SelfSubjectAccessReview's `spec.resourceAttributes`. */
export function customStrategyAccess(namespace: string): { namespace: string; verb: string; group: string; resource: string; subresource: string } {
  return { namespace, verb: 'create', group: 'build.openshift.io', resource: 'builds', subresource: 'custom' }
}

/** `system:serviceaccount:<ns>:<name>` as its namespace and name; undefined for any other account. */
export function serviceAccountOf(account: string): { namespace: string; name: string } | undefined {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(account)
  return m ? { namespace: m[1]!, name: m[2]! } : undefined
}

/** The command a cluster admin runs to give `account` the role (both forms when the account is not known). */
export function grantCommand(account: string | undefined, namespace: string): string {
  const command = `oc adm policy add-cluster-role-to-user ${CUSTOM_STRATEGY_ROLE}`
  if (!account) return `${command} -z <service account> -n ${namespace} (or ${command} <user> for a user)`
  const sa = serviceAccountOf(account)
  return sa ? `${command} -z ${sa.name} -n ${sa.namespace}` : `${command} ${account}`
}

/** What to do about a missing permission: the role and the command. */
export function customStrategyRemedy(account: string | undefined, namespace: string): string {
  return `a cluster admin grants it the cluster role ${CUSTOM_STRATEGY_ROLE}: ${grantCommand(account, namespace)}`
}

/** The one message of a run whose account may not create Custom builds (found before anything is written). */
export function customStrategyDenied(account: string | undefined, namespace: string): string {
  const who = account ? `The account ${account}` : 'The account'
  return (
    `${who} may not create Custom-strategy builds in namespace ${namespace} (create builds/custom in API group build.openshift.io, ` +
    `which OpenShift's admission plugin BuildByStrategy checks: without it every write of the BuildConfig is refused with ` +
    `403 "build strategy Custom is not allowed"): ${customStrategyRemedy(account, namespace)}`
  )
}

/** A 403 of the admission plugin for the Custom strategy (a write, an instantiate, a cancel PATCH). */
export function isCustomStrategyRefusal(message: string): boolean {
  return /build strategy Custom is not allowed/.test(message)
}
