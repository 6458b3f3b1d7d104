/** The permission Custom builds need, in words: the role and the command, for a service account and for a user. */
import { describe, expect, it } from '@jest/globals'
import { customStrategyDenied, grantCommand, serviceAccountOf } from '../src/cluster/custom-strategy.js'
import { statusError } from '../src/cluster/errors.js'

describe('the grant of system:build-strategy-custom', () => {
  it('a service account: -z with its own namespace', () => {
    expect(serviceAccountOf('system:serviceaccount:osbs:builder')).toEqual({ namespace: 'osbs', name: 'builder' })
    expect(grantCommand('system:serviceaccount:ci:deployer', 'osbs')).toBe('oc adm policy add-cluster-role-to-user system:build-strategy-custom -z deployer -n ci')
  })

  it('a user: by name', () => {
    expect(serviceAccountOf('alice')).toBeUndefined()
    expect(grantCommand('alice', 'osbs')).toBe('oc adm policy add-cluster-role-to-user system:build-strategy-custom alice')
    expect(grantCommand('oidc:repo:acme/app:ref:refs/heads/main', 'osbs')).toBe('oc adm policy add-cluster-role-to-user system:build-strategy-custom oidc:repo:acme/app:ref:refs/heads/main')
  })

  it('an account not known: both forms', () => {
    expect(grantCommand(undefined, 'osbs')).toBe(
      'oc adm policy add-cluster-role-to-user system:build-strategy-custom -z <service account> -n osbs (or oc adm policy add-cluster-role-to-user system:build-strategy-custom <user> for a user)'
    )
  })

  it('the one message of a run: who, where, the refusal it avoids, the role and the command', () => {
    expect(customStrategyDenied('system:serviceaccount:osbs:default', 'osbs')).toBe(
      'The account system:serviceaccount:osbs:default may not create Custom-strategy builds in namespace osbs (create builds/custom in API group build.openshift.io, ' +
        `which OpenShift's admission plugin BuildByStrategy checks: without it every write of the BuildConfig is refused with 403 "build strategy Custom is not allowed"): ` +
        'a cluster admin grants it the cluster role system:build-strategy-custom: oc adm policy add-cluster-role-to-user system:build-strategy-custom -z default -n osbs'
    )
    expect(customStrategyDenied('alice', 'team')).toMatch(
      /^The account alice may not create Custom-strategy builds in namespace team .*: oc adm policy add-cluster-role-to-user system:build-strategy-custom alice$/
    )
  })
})

describe('a 403 of the admission plugin', () => {
  const status = (message: string) => ({ kind: 'Status', status: 'Failure', message, reason: 'Forbidden', code: 403 })

  it('the cancel PATCH refused: the same cause, with the role and the command instead of the edit role', () => {
    const message = 'builds.build.openshift.io "app-1" is forbidden: build strategy Custom is not allowed'
    const error = statusError('PATCH builds/app-1 in namespace osbs', 403, status(message), undefined, false, {
      verb: 'patch',
      resource: 'builds',
      group: 'build.openshift.io',
      namespace: 'osbs'
    })
    expect(error.message).toBe(
      `PATCH builds/app-1 in namespace osbs failed: 403 Forbidden: ${message} — the account may not create builds/custom in API group build.openshift.io in namespace osbs, ` +
        'which a build of the Custom strategy needs: a cluster admin grants it the cluster role system:build-strategy-custom: ' +
        'oc adm policy add-cluster-role-to-user system:build-strategy-custom -z <service account> -n osbs (or oc adm policy add-cluster-role-to-user system:build-strategy-custom <user> for a user)'
    )
    expect(error.message).not.toContain('oc policy add-role-to-user edit')
  })

  it('a 403 of RBAC that names the user: the user form', () => {
    const message = 'buildconfigs.build.openshift.io "app" is forbidden: User "alice" cannot create buildconfigs.build.openshift.io: build strategy Custom is not allowed'
    const error = statusError('POST buildconfigs in namespace osbs', 403, status(message), undefined, false, {
      verb: 'create',
      resource: 'buildconfigs',
      group: 'build.openshift.io',
      namespace: 'osbs'
    })
    expect(error.message).toMatch(/— alice may not create builds\/custom .*: oc adm policy add-cluster-role-to-user system:build-strategy-custom alice$/)
  })

  it('any other 403 keeps its hint', () => {
    const error = statusError('GET secrets/x in namespace osbs', 403, status('secrets "x" is forbidden: User "alice" cannot get secrets'), undefined, false, {
      verb: 'get',
      resource: 'secrets',
      group: '',
      namespace: 'osbs'
    })
    expect(error.message).toContain('oc policy add-role-to-user edit alice -n osbs')
  })
})
