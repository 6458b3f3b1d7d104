/** ImageStreamTags: the row of the table of resources (registry/index.ts). */
import { IMAGE_GROUP, type ResourceDef } from '../../api/resources.js'
import type { Resource } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'
import { ImageStreamTag, imageStreamTagsRest } from './rest.js'

export const def: ResourceDef = {
  plural: 'imagestreamtags',
  kind: 'ImageStreamTag',
  listKind: 'ImageStreamTagList',
  group: IMAGE_GROUP,
  namespaced: true,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
  shortNames: ['istag'],
  legacy: true
}

export const imagestreamtags: Resource<RegistryDeps> = { def, schema: ImageStreamTag, rest: imageStreamTagsRest }
