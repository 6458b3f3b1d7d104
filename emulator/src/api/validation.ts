/**
 * Semantic validation of writes, as OpenShift's API server does it (`pkg/build/apis/build/validation`,
 * `pkg/image/apis/image/validation`): each violation is a StatusCause; any cause makes the write a 422 Invalid.
 */
import type { StatusCause } from './status.js'

export const required = (field: string, detail?: string): StatusCause => ({
  reason: 'FieldValueRequired',
  message: detail ? `Required value: ${detail}` : 'Required value',
  field
})

const fmt = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(JSON.stringify(v)))

export const invalidValue = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${fmt(value)}: ${detail}`,
  field
})

export const notSupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${fmt(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
  field
})

export const duplicate = (field: string, value: unknown): StatusCause => ({
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${fmt(value)}`,
  field
})

export const forbiddenField = (field: string, detail: string): StatusCause => ({
  reason: 'FieldValueForbidden',
  message: `Forbidden: ${detail}`,
  field
})

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/

export const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

export function isDNSSubdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s)
}
export function isDNSLabel(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s)
}

const QUALIFIED_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

/** apimachinery's TotalAnnotationSizeLimitB: keys and values of all annotations together */
const ANNOTATIONS_LIMIT = 256 * 1024

/** apimachinery's IsQualifiedName (label and annotation keys): one message per problem. */
export function qualifiedNameProblems(k: string): string[] {
  const parts = k.split('/')
  if (parts.length > 2) return [`a qualified name ${QUALIFIED_NAME_MSG.slice('name part '.length)} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]
  const out: string[] = []
  if (parts.length === 2) {
    const prefix = parts[0]!
    if (!prefix) out.push('prefix part must be non-empty')
    else if (!isDNSSubdomain(prefix)) out.push(`prefix part ${SUBDOMAIN_MSG}`)
  }
  const name = parts[parts.length - 1]!
  if (!name) out.push('name part must be non-empty')
  else {
    if (name.length > 63) out.push('name part must be no more than 63 characters')
    if (!QUALIFIED_NAME.test(name)) out.push(QUALIFIED_NAME_MSG)
  }
  return out
}

/** apimachinery's IsValidLabelValue: one message per problem. */
export function labelValueProblems(v: string): string[] {
  const out: string[] = []
  if (v.length > 63) out.push('must be no more than 63 characters')
  if (!LABEL_VALUE.test(v)) out.push(LABEL_VALUE_MSG)
  return out
}

/** metadata rules common to every kind; `nameCheck` validates the name (DNS subdomain by default). */
export function validateMeta(meta: any, opts: { nameCheck?: (n: string) => string | undefined } = {}): StatusCause[] {
  const causes: StatusCause[] = []
  if (!meta || typeof meta !== 'object') return [required('metadata.name', 'name or generateName is required')]
  if (!meta.name) causes.push(required('metadata.name', 'name or generateName is required'))
  else {
    const why = opts.nameCheck ? opts.nameCheck(meta.name) : isDNSSubdomain(meta.name) ? undefined : SUBDOMAIN_MSG
    if (why) causes.push(invalidValue('metadata.name', meta.name, why))
  }
  for (const [k, v] of Object.entries((meta.labels ?? {}) as Record<string, string>)) {
    for (const why of qualifiedNameProblems(k)) causes.push(invalidValue('metadata.labels', k, why))
    for (const why of labelValueProblems(v)) causes.push(invalidValue('metadata.labels', v, why))
  }
  let annotationBytes = 0
  for (const [k, v] of Object.entries((meta.annotations ?? {}) as Record<string, string>)) {
    for (const why of qualifiedNameProblems(k.toLowerCase())) causes.push(invalidValue('metadata.annotations', k, why))
    annotationBytes += k.length + String(v).length
  }
  if (annotationBytes > ANNOTATIONS_LIMIT) {
    causes.push({ reason: 'FieldValueTooLong', message: `Too long: must have at most ${ANNOTATIONS_LIMIT} bytes`, field: 'metadata.annotations' })
  }
  return causes
}

/** apimachinery's ValidatePathSegmentName */
function pathSegmentProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`
  for (const c of ['/', '%']) if (name.includes(c)) return `may not contain '${c}'`
  return undefined
}

const FROM_KINDS = ['DockerImage', 'ImageStreamImage', 'ImageStreamTag']

function validateFrom(from: any, path: string, causes: StatusCause[]): void {
  if (!from || typeof from !== 'object') {
    causes.push(required(path))
    return
  }
  if (!from.name) causes.push(required(`${path}.name`))
  const kind = from.kind ?? ''
  if (!kind) causes.push(required(`${path}.kind`))
  else if (!FROM_KINDS.includes(kind)) causes.push(notSupported(`${path}.kind`, kind, FROM_KINDS))
  else if (kind === 'ImageStreamTag' && from.name && !/^[^:@/\s]+:[^:@/\s]+$/.test(from.name)) {
    causes.push(invalidValue(`${path}.name`, from.name, 'ImageStreamTag object references must be in the form <name>:<tag>'))
  } else if (kind === 'ImageStreamImage' && from.name && !/^[^:@/\s]+@[^@\s]+$/.test(from.name)) {
    causes.push(invalidValue(`${path}.name`, from.name, 'ImageStreamImage object references must be in the form <name>@<id>'))
  } else if (kind === 'DockerImage' && from.name && !isPullSpec(from.name)) {
    causes.push(invalidValue(`${path}.name`, from.name, 'invalid reference format'))
  }
  if (kind === 'DockerImage' && from.namespace) causes.push(invalidValue(`${path}.namespace`, from.namespace, "namespace is not valid when used with a 'DockerImage'"))
}

/** A docker pull spec: [host[:port]/]path[:tag][@digest], lower-case repository path. */
export function isPullSpec(s: string): boolean {
  return /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/.test(
    s
  )
}

function validateEnv(env: any, path: string, causes: StatusCause[]): void {
  if (!Array.isArray(env)) return
  env.forEach((e: any, i: number) => {
    const p = `${path}[${i}]`
    if (!e?.name) causes.push(required(`${p}.name`))
    else if (!ENV_NAME.test(e.name))
      causes.push(invalidValue(`${p}.name`, e.name, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"))
    if (e?.valueFrom?.resourceFieldRef) causes.push(invalidValue(`${p}.valueFrom.resourceFieldRef`, 'resourceFieldRef', 'resourceFieldRef is not supported by builds'))
  })
}

const STRATEGIES = ['sourceStrategy', 'customStrategy', 'dockerStrategy', 'jenkinsPipelineStrategy'] as const

/** Rules of the spec shared by BuildConfig and Build (CommonSpec). */
export function validateCommonSpec(spec: any, causes: StatusCause[]): void {
  if (!spec || typeof spec !== 'object') {
    causes.push(required('spec.strategy'))
    return
  }
  const strategy = spec.strategy ?? {}
  const set = STRATEGIES.filter((s) => strategy[s] != null)
  if (set.length !== 1) {
    causes.push(invalidValue('spec.strategy', strategy.type ?? '', 'must provide a value for exactly one of sourceStrategy, customStrategy, dockerStrategy, or jenkinsPipelineStrategy'))
  }
  const source = spec.source ?? {}
  if (source.git != null) {
    if (!source.git.uri) causes.push(required('spec.source.git.uri'))
    else if (/\s/.test(source.git.uri)) causes.push(invalidValue('spec.source.git.uri', source.git.uri, 'invalid URL'))
  }
  if (strategy.dockerStrategy != null && source.git == null && source.binary == null && source.dockerfile == null && !(source.images?.length > 0)) {
    causes.push(invalidValue('spec.source', '', 'must provide a value for at least one source input(git, binary, dockerfile, images).'))
  }
  if (strategy.customStrategy != null) {
    const cs = strategy.customStrategy
    validateFrom(cs.from, 'spec.strategy.customStrategy.from', causes)
    validateEnv(cs.env, 'spec.strategy.customStrategy.env', causes)
    const mounts = new Set<string>()
    ;(cs.secrets ?? []).forEach((s: any, i: number) => {
      const p = `spec.strategy.customStrategy.secrets[${i}]`
      if (!s?.secretSource?.name) causes.push(required(`${p}.secretSource`))
      if (!s?.mountPath) causes.push(required(`${p}.mountPath`))
      else if (mounts.has(s.mountPath)) causes.push(invalidValue(`${p}.mountPath`, s.mountPath, 'duplicate mountPath'))
      else mounts.add(s.mountPath)
    })
  }
  if (strategy.sourceStrategy != null) {
    validateFrom(strategy.sourceStrategy.from, 'spec.strategy.sourceStrategy.from', causes)
    validateEnv(strategy.sourceStrategy.env, 'spec.strategy.sourceStrategy.env', causes)
  }
  if (strategy.dockerStrategy != null) {
    if (strategy.dockerStrategy.from != null) validateFrom(strategy.dockerStrategy.from, 'spec.strategy.dockerStrategy.from', causes)
    validateEnv(strategy.dockerStrategy.env, 'spec.strategy.dockerStrategy.env', causes)
  }
  const to = spec.output?.to
  if (to != null) {
    const kind = to.kind ?? ''
    if (!['ImageStreamTag', 'DockerImage', 'ImageStream', ''].includes(kind)) {
      causes.push(notSupported('spec.output.to.kind', kind, ['DockerImage', 'ImageStreamTag']))
    } else if (!to.name) causes.push(required('spec.output.to.name'))
    else if ((kind === 'ImageStreamTag' || kind === '') && !/^[^:@/\s]+:[^:@/\s]+$/.test(to.name)) {
      causes.push(invalidValue('spec.output.to.name', to.name, 'ImageStreamTag object references must be in the form <name>:<tag>'))
    } else if (kind === 'DockerImage' && !isPullSpec(to.name)) causes.push(invalidValue('spec.output.to.name', to.name, 'invalid reference format'))
  }
  if (spec.completionDeadlineSeconds != null && spec.completionDeadlineSeconds <= 0) {
    causes.push(invalidValue('spec.completionDeadlineSeconds', spec.completionDeadlineSeconds, 'completionDeadlineSeconds must be a positive integer greater than 0'))
  }
}

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

const PHASES = ['New', 'Pending', 'Running', 'Complete', 'Failed', 'Error', 'Cancelled']

export function validateBuild(b: any): StatusCause[] {
  const causes = validateMeta(b.metadata)
  validateCommonSpec(b.spec, causes)
  const phase = b.status?.phase
  if (phase != null && phase !== '' && !PHASES.includes(phase)) causes.push(notSupported('status.phase', phase, PHASES))
  return causes
}

/** OpenShift's ValidateBuildRequest: ObjectMeta rules (labels, annotations; the name is a path segment), env, from. */
export function validateBuildRequest(r: any): StatusCause[] {
  const causes = validateMeta(r.metadata, { nameCheck: pathSegmentProblem })
  validateEnv(r.env, 'env', causes)
  if (r.from != null && r.from.kind && !FROM_KINDS.includes(r.from.kind)) causes.push(notSupported('from.kind', r.from.kind, FROM_KINDS))
  return causes
}

const TAG_NAME = /^[\w][\w.-]{0,127}$/

export function validateImageStream(is: any): StatusCause[] {
  const causes = validateMeta(is.metadata, {
    nameCheck: (n) => (/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(n) || isDNSSubdomain(n) ? undefined : 'must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"')
  })
  const repo = is.spec?.dockerImageRepository
  if (repo && !isPullSpec(repo)) causes.push(invalidValue('spec.dockerImageRepository', repo, 'invalid reference format'))
  const seen = new Set<string>()
  ;(is.spec?.tags ?? []).forEach((t: any, i: number) => {
    const p = `spec.tags[${t?.name ?? i}]`
    if (!t?.name) causes.push(required(`spec.tags[${i}].name`))
    else {
      if (!TAG_NAME.test(t.name)) causes.push(invalidValue(`spec.tags[${i}].name`, t.name, 'must be a valid tag name'))
      if (seen.has(t.name)) causes.push(duplicate(`spec.tags[${i}].name`, t.name))
      seen.add(t.name)
    }
    if (t?.from != null) {
      const kind = t.from.kind ?? ''
      if (!FROM_KINDS.includes(kind)) causes.push(invalidValue(`${p}.from.kind`, kind, "valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'"))
      else if (!t.from.name) causes.push(required(`${p}.from.name`))
      else if (kind === 'DockerImage' && !isPullSpec(t.from.name)) causes.push(invalidValue(`${p}.from.name`, t.from.name, 'invalid reference format'))
    }
    const rp = t?.referencePolicy?.type
    if (rp != null && rp !== '' && !['Source', 'Local'].includes(rp)) causes.push(notSupported(`${p}.referencePolicy.type`, rp, ['Local', 'Source']))
  })
  return causes
}

export function validateSecret(s: any): StatusCause[] {
  const causes = validateMeta(s.metadata)
  for (const m of ['data', 'stringData']) {
    for (const k of Object.keys(s[m] ?? {})) {
      if (!CONFIG_KEY.test(k))
        causes.push(
          invalidValue(
            `${m}[${k}]`,
            k,
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
          )
        )
    }
  }
  return causes
}

export function validateNamespace(n: any): StatusCause[] {
  return validateMeta(n.metadata, {
    nameCheck: (x) => (isDNSLabel(x) ? undefined : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character")
  })
}
