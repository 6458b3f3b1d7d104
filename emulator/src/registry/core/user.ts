/** Users (user.openshift.io): read-only; `users/~` is the user of the request's token (authn.ts). */
import { USER_GROUP, type ResourceDef } from '../../api/resources.js'
import { forbidden } from '../../api/status.js'
import { refOf } from '../../apiserver/request.js'
import type { RequestContext, Resource } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'

export const def: ResourceDef = {
  plural: 'users',
  kind: 'User',
  listKind: 'UserList',
  group: USER_GROUP,
  namespaced: false,
  verbs: ['get', 'list', 'watch'],
  legacy: true
}

function whoAmI(ctx: RequestContext<RegistryDeps>) {
  const token = /^Bearer\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '')?.[1]?.trim()
  const { accounts } = ctx.env.deps
  const id = accounts.authenticate(token)
  if (!id) throw forbidden(refOf(ctx.route), '~', 'User "system:anonymous" cannot get users.user.openshift.io at the cluster scope')
  return accounts.whoAmI(id)
}

export const users: Resource<RegistryDeps> = { def, computed: { '~': whoAmI } }
