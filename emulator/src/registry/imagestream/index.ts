/** ImageStreams: the row of the table of resources (registry/index.ts). */
import { ALL_VERBS, IMAGE_GROUP, type ResourceDef } from '../../api/resources.js'
import { pathNotFound } from '../../api/status.js'
import { get } from '../../apiserver/rest.js'
import type { Resource } from '../../apiserver/strategy.js'
import { age, col, type TableColumns } from '../../apiserver/table.js'
import type { RegistryDeps } from '../deps.js'
import { ImageStream, imageStreamStrategy } from './strategy.js'

export const def: ResourceDef = {
  plural: 'imagestreams',
  kind: 'ImageStream',
  listKind: 'ImageStreamList',
  group: IMAGE_GROUP,
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['is'],
  categories: ['all'],
  legacy: true,
  fields: {
    'spec.dockerImageRepository': (o) => o.spec?.dockerImageRepository ?? '',
    'status.dockerImageRepository': (o) => o.status?.dockerImageRepository ?? ''
  }
}

const table: TableColumns = {
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

export const imagestreams: Resource<RegistryDeps> = {
  def,
  schema: ImageStream,
  strategy: imageStreamStrategy,
  subresources: {
    // the status as a GET of the stream; its writes are not served
    status: (ctx) => {
      if ((ctx.req.method ?? 'GET') === 'GET') return get(ctx, false)
      throw pathNotFound()
    }
  },
  discovery: [
    { name: 'imagestreams/secrets', kind: 'SecretList', verbs: ['get'] },
    { name: 'imagestreams/status', kind: 'ImageStream', verbs: ['get', 'patch', 'update'] }
  ],
  table
}
