/**
 * What a resource brings to the generic REST machinery (rest.ts), as a resource's folder under registry/ brings it
 * to Kubernetes' `genericregistry.Store`: its definition (discovery, routes), the schema of its body, a write
 * strategy (`RESTCreateStrategy` / `RESTUpdateStrategy`: PrepareForCreate, PrepareForUpdate, Validate, and the
 * admission of OpenShift's build strategies), the subresources it serves, and, for a resource the server computes
 * instead of storing (imagestreamtags, imagestreamimports), its own REST handler.
 *
 * The table of resources (registry/index.ts) is handed to the machinery by the composition root, as the master
 * hands the storage map to the generic API server: the machinery imports no resource.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { KubeObject } from '../api/object.js'
import type { ResourceDef, Verb } from '../api/resources.js'
import type { Schema } from '../api/schema.js'
import type { StatusCause } from '../api/status.js'
import type { Store } from '../storage/store.js'
import type { Identity } from './authn.js'
import type { Route } from './route.js'
import type { TableColumns } from './table.js'

/** The group and prefix of a write, for messages and defaults. */
export interface WriteContext {
  /** served under /oapi/v1 */
  legacy: boolean
  /** group used in messages ('' on /oapi) */
  group: string
}

/** What the machinery is given once: the store, its settings, the resources and what they need (`deps`). */
export interface ApiEnv<D = unknown> {
  store: Store
  /** every resource served, by plural (registry/index.ts) */
  resources: Record<string, Resource<D>>
  /** what the resources need beyond the store (registry/deps.ts) */
  deps: D
  /** how unknown fields are treated when the request does not say (`fieldValidation` query parameter) */
  fieldValidation: 'Ignore' | 'Warn' | 'Strict'
  /** the server's limit for any watch, in seconds */
  watchMaxSeconds: number
}

/** One request on its way through the machinery. */
export interface RequestContext<D = unknown> {
  env: ApiEnv<D>
  req: IncomingMessage
  res: ServerResponse
  route: Route
  query: URLSearchParams
  /** an injected fault: cut the answer after this many bytes */
  cutAfter?: number
  /** an injected fault: answer 410 Expired */
  expire?: boolean
  /** who is asking (authn.ts); undefined when no one could be told */
  user?: Identity
}

/** What a strategy sees of a write: its group and prefix, the store, the resources' needs. */
export interface StrategyContext<D = unknown> extends WriteContext {
  store: Store
  deps: D
  /** every resource served (a namespace's deletion removes what it holds) */
  resources: Record<string, Resource<D>>
  /** who is writing (the admission of the build strategies asks what the account may do) */
  user?: Identity
}

/** The server side of create, update and delete for a stored resource. */
export interface Strategy<D = unknown> {
  /** The 422 causes of a written object, before any default is filled in (it may also throw a 400). */
  validate(obj: KubeObject, ctx: StrategyContext<D>): StatusCause[]
  /** Defaults and server-owned fields of a new object. */
  prepareForCreate(obj: KubeObject, ctx: StrategyContext<D>): KubeObject
  /** Defaults and server-owned fields of a replaced object; the update's own rules (a 422 when broken). */
  prepareForUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext<D>): KubeObject
  /** Admission after the strategy: throws (403) to refuse. */
  admit?(obj: KubeObject, ctx: StrategyContext<D>): void
  /** PUT must carry metadata.resourceVersion (Kubernetes' AllowUnconditionalUpdate false). */
  requireResourceVersion?: boolean
  /** After a DELETE of `obj`: what goes with it (owned objects, a namespace's content). */
  deleted?(obj: KubeObject, ctx: StrategyContext<D>, opts: { orphan: boolean }): void
}

/** A handler of a whole request (a subresource, or a resource served by its own code). */
export type RestHandler<D = unknown> = (ctx: RequestContext<D>) => void | Promise<void>

/** A subresource listed in discovery (served or not: connect verbs are never listed). */
export interface DiscoveredSubresource {
  /** `builds/log` */
  name: string
  kind: string
  verbs: Verb[]
}

/** One row of the table of resources. */
export interface Resource<D = unknown> {
  def: ResourceDef
  /** the body of a write; none: taken as sent */
  schema?: Schema
  /** Go's decoding rules beyond the schema (a 400), e.g. a Secret's base64 data */
  checkDecoded?(body: any): void
  /** writes through the generic store; none: the resource is read-only (or served by `rest`) */
  strategy?: Strategy<D>
  /** a resource the server computes instead of storing: every request of it goes here */
  rest?: RestHandler<D>
  /** objects computed by name on GET (`users/~`) */
  computed?: Record<string, (ctx: RequestContext<D>) => KubeObject>
  /** the subresource table: `builds/<name>/log` is `subresources.log` of builds */
  subresources?: Record<string, RestHandler<D>>
  /** subresources discovery lists */
  discovery?: DiscoveredSubresource[]
  /** `oc get`'s columns (server-side printing); none: name and age */
  table?: TableColumns
}

export function strategyContext<D>(ctx: RequestContext<D>): StrategyContext<D> {
  return { legacy: ctx.route.legacy, group: ctx.route.msgGroup, store: ctx.env.store, deps: ctx.env.deps, resources: ctx.env.resources, user: ctx.user }
}
