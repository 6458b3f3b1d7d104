/**
 * `POST builds/<name>/clone` (openshift-apiserver's `registry/buildclone/rest.go`): a new build of the build's
 * BuildConfig, with the build's revision and causes unless the request gives its own.
 */
import { badRequest, methodNotAllowed, notFound } from '../../api/status.js'
import { present, readObject, refOf } from '../../apiserver/request.js'
import type { RequestContext } from '../../apiserver/strategy.js'
import { sendJSON } from '../../apiserver/http.js'
import { BUILD_REQUEST } from '../buildconfig/build-request.js'
import { instantiate } from '../buildconfig/instantiate.js'
import { admitStrategy } from '../common-spec.js'
import type { RegistryDeps } from '../deps.js'
import { buildConfigName } from './names.js'

export async function cloneBuild(ctx: RequestContext<RegistryDeps>): Promise<void> {
  const { route, env } = ctx
  if ((ctx.req.method ?? 'GET') !== 'POST') throw methodNotAllowed()
  const ns = route.namespace!
  const headers: Record<string, string> = {}
  const body = await readObject(ctx.req, BUILD_REQUEST, env, ctx.query, headers)
  const orig = env.store.peek('builds', ns, route.name!)
  if (!orig) throw notFound(refOf(route), route.name!)
  const bc = buildConfigName(orig)
  if (!bc) throw badRequest(`build ${ns}/${route.name} has no BuildConfig to clone from`)
  admitStrategy(env.deps, ctx.user, refOf(route, 'builds'), route.name!, orig.spec)
  const request = {
    ...body,
    metadata: { ...(body.metadata ?? {}), name: bc, annotations: { ...(body.metadata?.annotations ?? {}), 'openshift.io/build.clone-of': route.name! } },
    revision: body.revision ?? orig.spec?.revision,
    triggeredBy: body.triggeredBy ?? orig.spec?.triggeredBy
  }
  const build = instantiate(env.store, env.deps.images, ns, request, { group: route.msgGroup })
  return sendJSON(ctx.res, 201, present(build, env.resources.builds!.def, route), headers)
}
