/** The body of `buildconfigs/<name>/instantiate` and `builds/<name>/clone`: its schema and validation. */
import { arr, bool, EnvVar, int, obj, ObjectMeta, ObjectReference, str } from '../../api/schema.js'
import type { StatusCause } from '../../api/status.js'
import { FROM_KINDS, notSupported, pathSegmentProblem, validateMeta } from '../../api/validation.js'
import type { BodyType } from '../../apiserver/request.js'
import { BuildTriggerCause, SourceRevision, validateEnv } from '../common-spec.js'

export const BuildRequest = obj('BuildRequest', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  revision: SourceRevision,
  triggeredByImage: ObjectReference,
  from: ObjectReference,
  binary: obj('BinaryBuildSource', { asFile: str }),
  lastVersion: int,
  env: arr(EnvVar),
  triggeredBy: arr(BuildTriggerCause),
  dockerStrategyOptions: obj('DockerStrategyOptions', { buildArgs: arr(EnvVar), noCache: bool }),
  sourceStrategyOptions: obj('SourceStrategyOptions', { incremental: bool })
})

/** OpenShift's ValidateBuildRequest: ObjectMeta rules (labels, annotations; the name is a path segment), env, from. */
export function validateBuildRequest(r: any): StatusCause[] {
  const causes = validateMeta(r.metadata, { nameCheck: pathSegmentProblem })
  validateEnv(r.env, 'env', causes)
  if (r.from != null && r.from.kind && !FROM_KINDS.includes(r.from.kind)) causes.push(notSupported('from.kind', r.from.kind, FROM_KINDS))
  return causes
}

export const BUILD_REQUEST: BodyType = { kind: 'BuildRequest', schema: BuildRequest }
