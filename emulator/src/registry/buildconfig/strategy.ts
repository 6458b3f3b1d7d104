/**
 * The BuildConfig strategy (openshift-apiserver's `registry/buildconfig/strategy.go` and `ValidateBuildConfig`):
 * CommonSpec defaults, the run policy, trigger types, history limits on the group API, and the server's own
 * status (lastVersion and trigger bookkeeping are kept across updates).
 */
import type { KubeObject } from '../../api/object.js'
import { arr, bool, int, obj, ObjectMeta, ObjectReference, str } from '../../api/schema.js'
import type { StatusCause } from '../../api/status.js'
import { invalidValue, notSupported, required, validateMeta } from '../../api/validation.js'
import type { Strategy, StrategyContext } from '../../apiserver/strategy.js'
import { admitStrategy, commonSpec, defaultCommonSpec, normalizeFrom, validateCommonSpec } from '../common-spec.js'
import type { RegistryDeps } from '../deps.js'

const WebHookTrigger = obj('WebHookTrigger', { secret: str, allowEnv: bool })

export const BuildConfig = obj('BuildConfig', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('BuildConfigSpec', {
    ...commonSpec,
    triggers: arr(
      obj('BuildTriggerPolicy', {
        type: str,
        github: WebHookTrigger,
        generic: WebHookTrigger,
        gitlab: WebHookTrigger,
        bitbucket: WebHookTrigger,
        imageChange: obj('ImageChangeTrigger', { lastTriggeredImageID: str, from: ObjectReference, paused: bool })
      })
    ),
    runPolicy: str,
    successfulBuildsHistoryLimit: int,
    failedBuildsHistoryLimit: int
  }),
  status: obj('BuildConfigStatus', {
    lastVersion: int,
    imageChangeTriggers: arr(
      obj('ImageChangeTriggerStatus', {
        lastTriggeredImageID: str,
        from: obj('ImageStreamTagReference', { namespace: str, name: str }),
        lastTriggerTime: str
      })
    )
  })
})

const TRIGGER_TYPES: Record<string, string> = {
  github: 'GitHub',
  generic: 'Generic',
  gitlab: 'GitLab',
  bitbucket: 'Bitbucket',
  imagechange: 'ImageChange',
  configchange: 'ConfigChange'
}

/** `GitHub`, `github` → `GitHub`; undefined when unknown. */
export function normalTriggerType(t: string): string | undefined {
  return TRIGGER_TYPES[t.toLowerCase()]
}

const RUN_POLICIES = ['Parallel', 'Serial', 'SerialLatestOnly']

export function validateBuildConfig(bc: any): StatusCause[] {
  const causes = validateMeta(bc.metadata)
  const spec = bc.spec
  validateCommonSpec(spec, causes)
  if (!spec) return causes
  if (spec.runPolicy != null && spec.runPolicy !== '' && !RUN_POLICIES.includes(spec.runPolicy)) {
    causes.push(notSupported('spec.runPolicy', spec.runPolicy, RUN_POLICIES))
  }
  for (const k of ['successfulBuildsHistoryLimit', 'failedBuildsHistoryLimit']) {
    if (spec[k] != null && spec[k] < 0) causes.push(invalidValue(`spec.${k}`, spec[k], 'must be greater than or equal to 0'))
  }
  const seenTags = new Set<string>()
  ;(spec.triggers ?? []).forEach((t: any, i: number) => {
    const p = `spec.triggers[${i}]`
    if (!t?.type) {
      causes.push(required(`${p}.type`))
      return
    }
    const type = normalTriggerType(t.type)
    if (!type) {
      causes.push(invalidValue(`${p}.type`, t.type, 'invalid trigger type'))
      return
    }
    if (['GitHub', 'Generic', 'GitLab', 'Bitbucket'].includes(type)) {
      const key = type.toLowerCase()
      const w = t[key]
      if (!w) causes.push(required(`${p}.${key}`))
      else if (!w.secret && !w.secretReference?.name) causes.push(required(`${p}.${key}.secret`))
    }
    if (type === 'ImageChange') {
      const ic = t.imageChange
      if (ic == null) {
        causes.push(required(`${p}.imageChange`))
        return
      }
      let ref: string | undefined
      if (ic.from != null) {
        if (ic.from.kind !== 'ImageStreamTag') {
          causes.push(invalidValue(`${p}.imageChange.from.kind`, ic.from.kind ?? '', 'only an ImageStreamTag type of reference is allowed in an ImageChange trigger.'))
        } else if (!ic.from.name) causes.push(required(`${p}.imageChange.from.name`))
        else if (!/^[^:@/\s]+:[^:@/\s]+$/.test(ic.from.name)) {
          causes.push(invalidValue(`${p}.imageChange.from.name`, ic.from.name, 'ImageStreamTag object references must be in the form <name>:<tag>'))
        } else ref = `${ic.from.namespace ?? ''}/${ic.from.name}`
      } else {
        const st = spec.strategy ?? {}
        const f = (st.customStrategy ?? st.sourceStrategy ?? st.dockerStrategy)?.from
        if (!f || (f.kind ?? 'ImageStreamTag') !== 'ImageStreamTag') {
          causes.push(invalidValue(`${p}.imageChange`, '', 'a default ImageChange trigger can only be used when the strategy builds from an ImageStreamTag'))
        } else ref = `${f.namespace ?? ''}/${f.name}`
      }
      if (ref) {
        if (seenTags.has(ref)) causes.push(invalidValue(`${p}.imageChange`, ref.replace(/^\//, ''), 'multiple ImageChange triggers refer to the same image stream tag'))
        seenTags.add(ref)
      }
    }
  })
  return causes
}

function defaults(bc: KubeObject, create: boolean, legacy: boolean): any {
  const spec = (bc.spec ??= {})
  defaultCommonSpec(spec)
  spec.runPolicy ||= 'Serial'
  spec.triggers ??= []
  for (const t of spec.triggers) {
    t.type = normalTriggerType(t.type) ?? t.type
    if (t.type === 'ImageChange' && t.imageChange?.from) normalizeFrom(t.imageChange.from)
  }
  if (create && !legacy) {
    spec.successfulBuildsHistoryLimit ??= 5
    spec.failedBuildsHistoryLimit ??= 5
  }
  return spec
}

export const buildConfigStrategy: Strategy<RegistryDeps> = {
  requireResourceVersion: true,
  validate: (bc) => validateBuildConfig(bc),
  prepareForCreate(bc, ctx) {
    defaults(bc, true, ctx.legacy)
    bc.status = { lastVersion: 0 }
    // 3.11's BuildConfigs have no metadata.generation (its registry never sets it)
    delete bc.metadata.generation
    return bc
  },
  prepareForUpdate(bc, old, ctx) {
    defaults(bc, false, ctx.legacy)
    // The server keeps the higher lastVersion and its own trigger bookkeeping.
    const status = (bc.status ??= {})
    status.lastVersion = Math.max(Number(status.lastVersion ?? 0), Number(old.status?.lastVersion ?? 0))
    if (status.imageChangeTriggers == null && old.status?.imageChangeTriggers) status.imageChangeTriggers = old.status.imageChangeTriggers
    if (old.metadata.generation === undefined) delete bc.metadata.generation
    else bc.metadata.generation = old.metadata.generation
    return bc
  },
  admit: (bc, ctx: StrategyContext<RegistryDeps>) => admitStrategy(ctx.deps, ctx.user, { resource: 'buildconfigs', group: ctx.group }, bc.metadata.name, bc.spec),
  deleted(bc, ctx, { orphan }) {
    if (orphan) return
    // The builds it owns go with it (the garbage collector's background deletion).
    const ns = bc.metadata.namespace ?? ''
    for (const b of ctx.store.peekList('builds', ns)) {
      if ((b.metadata.ownerReferences as any[] | undefined)?.some((r) => r.kind === 'BuildConfig' && r.uid === bc.metadata.uid)) {
        ctx.store.delete('builds', ns, b.metadata.name)
      }
    }
  }
}
