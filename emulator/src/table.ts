/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), as kubectl asks for it: the
 * columns `oc get` shows for builds, buildconfigs and imagestreams; name and age for the rest.
 */
import type { KubeObject } from './store.js'

interface Column {
  name: string
  type: string
  format: string
  description: string
  priority: number
}

const col = (name: string, description: string, format = ''): Column => ({ name, type: 'string', format, description, priority: 0 })

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

function buildFrom(spec: any): string {
  const type = spec?.source?.type ?? (spec?.source?.git ? 'Git' : 'None')
  const commit = spec?.revision?.git?.commit
  return commit ? `${type}@${String(commit).slice(0, 7)}` : type
}

const COLUMNS: Record<string, { columns: Column[]; cells: (o: KubeObject) => unknown[] }> = {
  builds: {
    columns: [
      col('Name', 'Name of the build', 'name'),
      col('Type', 'Build strategy'),
      col('From', 'Source of the build'),
      col('Status', 'Phase of the build'),
      col('Started', 'Start time'),
      col('Duration', 'How long the build ran')
    ],
    cells: (o) => {
      const st = o.status ?? {}
      const phase = st.phase ?? 'New'
      const status = st.reason && phase !== 'Complete' && phase !== 'Cancelled' ? `${phase} (${st.reason})` : phase
      const dur = st.duration != null ? duration(Number(st.duration) / 1e6) : st.startTimestamp ? duration(Date.now() - Date.parse(st.startTimestamp)) : ''
      return [o.metadata.name, o.spec?.strategy?.type ?? '', buildFrom(o.spec), status, st.startTimestamp ? `${age(st.startTimestamp)} ago` : '', dur]
    }
  },
  buildconfigs: {
    columns: [col('Name', 'Name of the build config', 'name'), col('Type', 'Build strategy'), col('From', 'Source'), { ...col('Latest', 'Number of the last build'), type: 'integer' }],
    cells: (o) => [o.metadata.name, o.spec?.strategy?.type ?? '', buildFrom(o.spec), Number(o.status?.lastVersion ?? 0)]
  },
  imagestreams: {
    columns: [col('Name', 'Name of the image stream', 'name'), col('Image Repository', 'Where the images are pulled from'), col('Tags', 'Tags with images'), col('Updated', 'Last tag update')],
    cells: (o) => {
      const tags = ((o.status?.tags ?? []) as any[]).filter((t) => t.items?.length)
      const newest = tags
        .map((t) => t.items[0].created as string)
        .sort()
        .pop()
      return [o.metadata.name, o.status?.dockerImageRepository ?? '', tags.map((t) => t.tag).join(','), newest ? `${age(newest)} ago` : '']
    }
  }
}

const GENERIC = { columns: [col('Name', 'Name of the object', 'name'), col('Age', 'Time since creation')], cells: (o: KubeObject) => [o.metadata.name, age(o.metadata.creationTimestamp as string)] }

export function toTable(plural: string, items: KubeObject[], version: 'v1' | 'v1beta1', resourceVersion: string): Record<string, unknown> {
  const def = COLUMNS[plural] ?? GENERIC
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
