/** Builds: the row of the table of resources (registry/index.ts). */
import { ALL_VERBS, BUILD_GROUP, type ResourceDef } from '../../api/resources.js'
import type { Resource } from '../../apiserver/strategy.js'
import { age, col, duration, type TableColumns } from '../../apiserver/table.js'
import { buildFrom } from '../common-spec.js'
import type { RegistryDeps } from '../deps.js'
import { cloneBuild } from './clone.js'
import { buildLog } from './log.js'
import { Build, buildStrategy } from './strategy.js'

export const def: ResourceDef = {
  plural: 'builds',
  kind: 'Build',
  listKind: 'BuildList',
  group: BUILD_GROUP,
  namespaced: true,
  verbs: ALL_VERBS,
  categories: ['all'],
  legacy: true,
  fields: {
    status: (o) => o.status?.phase,
    podName: (o) => `${o.metadata.name}-build`
  }
}

const table: TableColumns = {
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
}

export const builds: Resource<RegistryDeps> = {
  def,
  schema: Build,
  strategy: buildStrategy,
  subresources: { clone: cloneBuild, log: buildLog },
  discovery: [
    { name: 'builds/clone', kind: 'BuildRequest', verbs: ['create'] },
    { name: 'builds/details', kind: 'Build', verbs: ['update'] },
    { name: 'builds/log', kind: 'BuildLog', verbs: ['get'] }
  ],
  table
}
