/**
 * Label selectors (full Kubernetes syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`) and
 * field selectors (`=`, `==`, `!=` on the fields a resource supports).
 */
import { badRequest } from './status.js'

type LabelReq = { op: 'eq' | 'neq'; key: string; value: string } | { op: 'in' | 'notin'; key: string; values: string[] } | { op: 'exists' | 'notexists'; key: string }

export type Matcher = (labels: Record<string, string> | undefined) => boolean

/** Split on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of s) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out.map((x) => x.trim()).filter((x) => x !== '')
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

function checkKey(key: string, whole: string): void {
  if (!KEY.test(key) || key.length > 316) throw badRequest(`unable to parse requirement: invalid label key "${key}": in selector "${whole}"`)
}
function checkValue(v: string, whole: string): void {
  if (!VALUE.test(v) || v.length > 63) throw badRequest(`unable to parse requirement: invalid label value: "${v}": in selector "${whole}"`)
}

export function parseLabelSelector(sel: string | null | undefined): Matcher {
  if (!sel || !sel.trim()) return () => true
  const reqs: LabelReq[] = []
  for (const part of splitTop(sel)) {
    let m: RegExpMatchArray | null
    if ((m = part.match(/^(\S+?)\s+(in|notin)\s*\((.*)\)$/))) {
      const values = m[3]!.split(',').map((v) => v.trim())
      checkKey(m[1]!, sel)
      values.forEach((v) => checkValue(v, sel))
      reqs.push({ op: m[2] as 'in' | 'notin', key: m[1]!, values })
    } else if ((m = part.match(/^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/))) {
      checkKey(m[1]!, sel)
      checkValue(m[3]!.trim(), sel)
      reqs.push({ op: m[2] === '!=' ? 'neq' : 'eq', key: m[1]!, value: m[3]!.trim() })
    } else if ((m = part.match(/^!\s*(\S+)$/))) {
      checkKey(m[1]!, sel)
      reqs.push({ op: 'notexists', key: m[1]! })
    } else if (/^\S+$/.test(part)) {
      checkKey(part, sel)
      reqs.push({ op: 'exists', key: part })
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: identifier`)
    }
  }
  return (labels) => {
    const l = labels ?? {}
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key)
      const v = l[r.key]
      switch (r.op) {
        case 'eq':
          return has && v === r.value
        case 'neq':
          return !has || v !== r.value
        case 'in':
          return has && r.values.includes(v!)
        case 'notin':
          return !has || !r.values.includes(v!)
        case 'exists':
          return has
        case 'notexists':
          return !has
      }
    })
  }
}

export type FieldMatcher = (o: any) => boolean

/**
 * Parse a field selector for a resource that supports `fields` (plus metadata.name / metadata.namespace).
 * An unknown field is a 400, worded as the API server does.
 */
export function parseFieldSelector(sel: string | null | undefined, fields: Record<string, (o: any) => string | undefined> | undefined): FieldMatcher {
  if (!sel || !sel.trim()) return () => true
  const getters: Record<string, (o: any) => string | undefined> = {
    'metadata.name': (o) => o.metadata?.name,
    'metadata.namespace': (o) => o.metadata?.namespace ?? '',
    ...(fields ?? {})
  }
  const known = Object.keys(getters)
  const reqs: Array<{ field: string; neg: boolean; value: string }> = []
  for (const part of splitTop(sel)) {
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/)
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${part}'`)
    const field = m[1]!.trim()
    if (!getters[field]) {
      throw badRequest(`"${field}" is not a known field selector: only ${known.map((k) => `"${k}"`).join(', ')}`)
    }
    reqs.push({ field, neg: m[2] === '!=', value: m[3]!.trim() })
  }
  return (o) => reqs.every((r) => ((getters[r.field]!(o) ?? '') === r.value) !== r.neg)
}
