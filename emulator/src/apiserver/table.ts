/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), as kubectl asks for it: the
 * columns `oc get` shows (a resource's `table`: builds, buildconfigs, imagestreams); name and age for the rest.
 */
import type { KubeObject } from '../api/object.js'

export interface Column {
  name: string
  type: string
  format: string
  description: string
  priority: number
}

export const col = (name: string, description: string, format = ''): Column => ({ name, type: 'string', format, description, priority: 0 })

/** Which Table version the client accepts (first match in its Accept header), if any. */
export function wantsTable(accept: string | undefined): 'v1' | 'v1beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const p = part.replace(/\s/g, '')
    if (!p.includes('as=Table') || !p.includes('g=meta.k8s.io')) continue
    if (p.includes('v=v1beta1')) return 'v1beta1'
    if (p.includes('v=v1')) return 'v1'
  }
  return undefined
}

export function age(ts: string | undefined, now = Date.now()): string {
  if (!ts) return '<unknown>'
  return duration(now - Date.parse(ts))
}

/** kubectl's short human duration ("5s", "3m2s", "4h", "2d"). */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 120) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`
  if (m < 180) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h}h`
  return `${Math.floor(h / 24)}d`
}

/** A resource's columns: their definitions and the cells of one object. */
export interface TableColumns {
  columns: Column[]
  cells: (o: KubeObject) => unknown[]
}

const GENERIC: TableColumns = {
  columns: [col('Name', 'Name of the object', 'name'), col('Age', 'Time since creation')],
  cells: (o: KubeObject) => [o.metadata.name, age(o.metadata.creationTimestamp as string)]
}

export function toTable(columns: TableColumns | undefined, items: KubeObject[], version: 'v1' | 'v1beta1', resourceVersion: string): Record<string, unknown> {
  const def = columns ?? GENERIC
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: { resourceVersion },
    columnDefinitions: def.columns,
    rows: items.map((o) => ({
      cells: def.cells(o),
      object: { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata }
    }))
  }
}
