/**
 * `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews` (what `kubectl auth can-i` sends, served by
 * OpenShift 3.11 as by Kubernetes 1.11): may the account asking do this? Answered by the rule the admission of the
 * build strategies applies (authz.ts). Nothing is stored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { badRequest, invalid, methodNotAllowed } from '../api/status.js'
import type { Identity } from './authn.js'
import { allowed, CUSTOM_STRATEGY_ROLE, isCustomStrategyAccess, type ResourceAttributes, type Subject } from './authz.js'
import { parseJSON, readBody, sendJSON } from './http.js'

export const ACCESS_REVIEW_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'
const KIND = 'SelfSubjectAccessReview'

export async function serveAccessReview(req: IncomingMessage, res: ServerResponse, subjects: readonly Subject[], user: Identity | undefined): Promise<void> {
  if ((req.method ?? 'GET') !== 'POST') {
    await readBody(req).catch(() => undefined)
    throw methodNotAllowed()
  }
  const body = parseJSON(await readBody(req), KIND)
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`${KIND} in version "v1" cannot be handled as a ${KIND}: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type v1.${KIND}`)
  }
  if (body.kind && body.kind !== KIND) throw badRequest(`${body.kind} in version "v1" cannot be handled as a ${KIND}: converting (v1.${body.kind}) to (v1.${KIND}): unknown conversion`)
  const spec = body.spec ?? {}
  const attributes = spec.resourceAttributes as ResourceAttributes | undefined
  if ((attributes == null) === (spec.nonResourceAttributes == null)) {
    const value = attributes == null ? 'null' : JSON.stringify(attributes)
    throw invalid(KIND, 'authorization.k8s.io', '', [
      { reason: 'FieldValueInvalid', message: `Invalid value: "${value}": exactly one of nonResourceAttributes or resourceAttributes must be specified`, field: 'spec.resourceAttributes' }
    ])
  }
  // a non-resource URL: discovery, /version, /healthz are open to every account here
  const ok = attributes ? allowed(subjects, user, attributes) : user !== undefined
  const reason =
    ok && attributes && isCustomStrategyAccess(attributes) ? `RBAC: allowed by ClusterRoleBinding "${CUSTOM_STRATEGY_ROLE}" of ClusterRole "${CUSTOM_STRATEGY_ROLE}" to ${user?.name}` : undefined
  sendJSON(res, 201, {
    kind: KIND,
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: { allowed: ok, ...(reason ? { reason } : {}) }
  })
}
