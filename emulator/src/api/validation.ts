/**
 * The field rules of semantic validation, as apimachinery has them (`validation/field`, ObjectMeta, DNS names,
 * qualified names, label values, pull specs): each violation is a StatusCause; any cause makes the write a 422
 * Invalid. Each kind's own rules are in its strategy under registry/ (OpenShift's `pkg/build/apis/build/validation`,
 * `pkg/image/apis/image/validation`).
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
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/
export const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/

export const SUBDOMAIN_MSG =
  "a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

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
export function pathSegmentProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`
  for (const c of ['/', '%']) if (name.includes(c)) return `may not contain '${c}'`
  return undefined
}

/** The kinds an image reference (`from`) may name. */
export const FROM_KINDS = ['DockerImage', 'ImageStreamImage', 'ImageStreamTag']

/** A docker pull spec: [host[:port]/]path[:tag][@digest], lower-case repository path. */
export function isPullSpec(s: string): boolean {
  return /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/.test(
    s
  )
}
