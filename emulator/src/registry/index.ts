/**
 * The table of resources: one row per resource the local OpenShift serves, each from its folder (as
 * openshift-apiserver's `registry/`). The composition root hands it to the generic machinery (apiserver/rest.ts),
 * which routes, lists, watches, writes and serves discovery from it. Adding a resource kind is a folder (or a file
 * in core/) exporting its row, and one line here.
 */
import { DeleteOptions, type Schema } from '../api/schema.js'
import type { Resource } from '../apiserver/strategy.js'
import { builds } from './build/index.js'
import { BuildRequest } from './buildconfig/build-request.js'
import { buildconfigs } from './buildconfig/index.js'
import { configmaps } from './core/configmap.js'
import { namespaces } from './core/namespace.js'
import { pods } from './core/pod.js'
import { resourcequotas } from './core/resourcequota.js'
import { secrets } from './core/secret.js'
import { serviceaccounts } from './core/serviceaccount.js'
import { users } from './core/user.js'
import type { RegistryDeps } from './deps.js'
import { imagestreams } from './imagestream/index.js'
import { imagestreamimports } from './imagestreamimport/index.js'
import { imagestreamtags } from './imagestreamtag/index.js'

export type { RegistryDeps }

export const RESOURCES: Record<string, Resource<RegistryDeps>> = {
  buildconfigs,
  builds,
  imagestreams,
  imagestreamtags,
  imagestreamimports,
  secrets,
  configmaps,
  resourcequotas,
  serviceaccounts,
  pods,
  users,
  namespaces
}

/** Schema of the body of a write, by kind: every resource's, and those of requests that are no resource. */
export const SCHEMAS: Record<string, Schema> = {
  ...Object.fromEntries(Object.values(RESOURCES).flatMap((r) => (r.schema ? [[r.def.kind, r.schema]] : []))),
  BuildRequest,
  DeleteOptions
}
