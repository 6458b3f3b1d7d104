/** ImageStreamImports: the row of the table of resources (registry/index.ts). */
import { IMAGE_GROUP, type ResourceDef } from '../../api/resources.js'
import type { Resource } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'
import { ImageStreamImport, imageStreamImportsRest } from './rest.js'

export const def: ResourceDef = {
  plural: 'imagestreamimports',
  kind: 'ImageStreamImport',
  listKind: 'ImageStreamImportList',
  group: IMAGE_GROUP,
  namespaced: true,
  verbs: ['create'],
  legacy: true
}

export const imagestreamimports: Resource<RegistryDeps> = { def, schema: ImageStreamImport, rest: imageStreamImportsRest }
