/** BuildConfigs: the row of the table of resources (registry/index.ts). */
import { ALL_VERBS, BUILD_GROUP, type ResourceDef } from '../../api/resources.js'
import type { Resource } from '../../apiserver/strategy.js'
import { col, type TableColumns } from '../../apiserver/table.js'
import { buildFrom } from '../common-spec.js'
import type { RegistryDeps } from '../deps.js'
import { instantiateRest } from './instantiate.js'
import { BuildConfig, buildConfigStrategy } from './strategy.js'

export const def: ResourceDef = {
  plural: 'buildconfigs',
  kind: 'BuildConfig',
  listKind: 'BuildConfigList',
  group: BUILD_GROUP,
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['bc'],
  categories: ['all'],
  legacy: true
}

const table: TableColumns = {
  columns: [col('Name', 'Name of the build config', 'name'), col('Type', 'Build strategy'), col('From', 'Source'), { ...col('Latest', 'Number of the last build'), type: 'integer' }],
  cells: (o) => [o.metadata.name, o.spec?.strategy?.type ?? '', buildFrom(o.spec), Number(o.status?.lastVersion ?? 0)]
}

export const buildconfigs: Resource<RegistryDeps> = {
  def,
  schema: BuildConfig,
  strategy: buildConfigStrategy,
  subresources: { instantiate: instantiateRest },
  discovery: [
    { name: 'buildconfigs/instantiate', kind: 'BuildRequest', verbs: ['create'] },
    { name: 'buildconfigs/instantiatebinary', kind: 'BinaryBuildRequestOptions', verbs: [] },
    { name: 'buildconfigs/webhooks', kind: 'Build', verbs: [] }
  ],
  table
}
