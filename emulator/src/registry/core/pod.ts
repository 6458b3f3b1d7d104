/** Pods: the build pods (pods.ts mirrors them); the emulator runs no other pods, so they are read-only here. */
import type { ResourceDef } from '../../api/resources.js'
import type { Resource } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'

export const def: ResourceDef = {
  plural: 'pods',
  kind: 'Pod',
  listKind: 'PodList',
  group: '',
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
  shortNames: ['po'],
  categories: ['all'],
  legacy: false,
  fields: {
    'status.phase': (o) => o.status?.phase,
    'spec.nodeName': (o) => o.spec?.nodeName,
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName
  }
}

export const pods: Resource<RegistryDeps> = { def }
