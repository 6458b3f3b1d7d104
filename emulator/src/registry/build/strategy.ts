/**
 * The Build strategy (openshift-apiserver's `registry/build/strategy.go` and `ValidateBuild`,
 * `ValidateBuildUpdate`): CommonSpec defaults, the service account, the phase a new build starts in, an immutable
 * spec (but the push secret), phases that only move forward, a terminal build's status kept.
 */
import type { KubeObject } from '../../api/object.js'
import { any, arr, bool, int, obj, ObjectMeta, ObjectReference, str } from '../../api/schema.js'
import { invalid, type StatusCause } from '../../api/status.js'
import { invalidValue, notSupported, validateMeta } from '../../api/validation.js'
import type { Strategy, StrategyContext } from '../../apiserver/strategy.js'
import { admitStrategy, BuildTriggerCause, commonSpec, defaultCommonSpec, validateCommonSpec } from '../common-spec.js'
import type { RegistryDeps } from '../deps.js'

export const Build = obj('Build', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('BuildSpec', { ...commonSpec, triggeredBy: arr(BuildTriggerCause) }),
  status: obj('BuildStatus', {
    phase: str,
    cancelled: bool,
    reason: str,
    message: str,
    startTimestamp: str,
    completionTimestamp: str,
    duration: int,
    outputDockerImageReference: str,
    config: ObjectReference,
    output: obj('BuildStatusOutput', { to: obj('BuildStatusOutputTo', { imageDigest: str }) }),
    stages: arr(any),
    logSnippet: str
  })
})

export const TERMINAL = new Set(['Complete', 'Failed', 'Error', 'Cancelled'])
export const isTerminal = (b: KubeObject | undefined): boolean => TERMINAL.has(b?.status?.phase)

const PHASES = ['New', 'Pending', 'Running', 'Complete', 'Failed', 'Error', 'Cancelled']

export function validateBuild(b: any): StatusCause[] {
  const causes = validateMeta(b.metadata)
  validateCommonSpec(b.spec, causes)
  const phase = b.status?.phase
  if (phase != null && phase !== '' && !PHASES.includes(phase)) causes.push(notSupported('status.phase', phase, PHASES))
  return causes
}

function specWithoutPushSecret(spec: any): string {
  const s = structuredClone(spec ?? {})
  if (s.output) delete s.output.pushSecret
  return JSON.stringify(s)
}

function defaults(b: KubeObject): any {
  const spec = (b.spec ??= {})
  defaultCommonSpec(spec)
  spec.serviceAccount ||= 'builder'
  b.status ??= {}
  return spec
}

/** ValidateBuildUpdate: the spec is immutable but for the push secret; phases move forward only. */
function updateCauses(b: KubeObject, old: KubeObject): StatusCause[] {
  const causes: StatusCause[] = []
  if (specWithoutPushSecret(old.spec) !== specWithoutPushSecret(b.spec)) {
    causes.push(invalidValue('spec', 'content of spec is not printed out, please refer to the details', 'spec is immutable'))
  }
  const from = old.status?.phase
  const to = b.status.phase
  if (TERMINAL.has(from) && to !== from) {
    causes.push(invalidValue('status.phase', to, 'phase cannot be updated from a terminal state'))
  } else if ((from === 'Pending' && to === 'New') || (from === 'Running' && (to === 'New' || to === 'Pending'))) {
    causes.push(invalidValue('status.phase', to, `phase cannot be updated from ${from} to ${to}`))
  }
  return causes
}

export const buildStrategy: Strategy<RegistryDeps> = {
  requireResourceVersion: true,
  validate: (b) => validateBuild(b),
  prepareForCreate(b) {
    defaults(b)
    b.status.phase ||= 'New'
    return b
  },
  prepareForUpdate(b, old, ctx) {
    defaults(b)
    const from = old.status?.phase
    b.status.phase = b.status.phase || from
    const causes = updateCauses(b, old)
    if (causes.length) throw invalid('Build', ctx.group, b.metadata?.name ?? '', causes)
    if (TERMINAL.has(from)) {
      // A terminal build keeps its status; only metadata (labels, annotations) and the cancel flag may change.
      b.status = { ...old.status, cancelled: b.status.cancelled ?? old.status?.cancelled }
      if (b.status.cancelled === undefined) delete b.status.cancelled
    }
    return b
  },
  admit: (b, ctx: StrategyContext<RegistryDeps>) => admitStrategy(ctx.deps, ctx.user, { resource: 'builds', group: ctx.group }, b.metadata.name, b.spec)
}
