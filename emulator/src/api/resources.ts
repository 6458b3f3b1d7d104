/** The resources the emulator serves, with what discovery and the REST layer need to know about each. */

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch'

export interface ResourceDef {
  /** plural, e.g. `builds` */
  plural: string
  kind: string
  listKind: string
  /** `build.openshift.io`, `image.openshift.io`, or `''` for core v1 */
  group: string
  namespaced: boolean
  verbs: Verb[]
  shortNames?: string[]
  categories?: string[]
  /** field selector keys beyond metadata.name / metadata.namespace */
  fields?: Record<string, (o: any) => string | undefined>
  /** served under the legacy /oapi/v1 prefix too */
  legacy: boolean
}

const ALL: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

export const BUILD_GROUP = 'build.openshift.io'
export const IMAGE_GROUP = 'image.openshift.io'
export const USER_GROUP = 'user.openshift.io'

export const RESOURCES: Record<string, ResourceDef> = {
  buildconfigs: {
    plural: 'buildconfigs',
    kind: 'BuildConfig',
    listKind: 'BuildConfigList',
    group: BUILD_GROUP,
    namespaced: true,
    verbs: ALL,
    shortNames: ['bc'],
    categories: ['all'],
    legacy: true
  },
  builds: {
    plural: 'builds',
    kind: 'Build',
    listKind: 'BuildList',
    group: BUILD_GROUP,
    namespaced: true,
    verbs: ALL,
    categories: ['all'],
    legacy: true,
    fields: {
      status: (o) => o.status?.phase,
      podName: (o) => `${o.metadata.name}-build`
    }
  },
  imagestreams: {
    plural: 'imagestreams',
    kind: 'ImageStream',
    listKind: 'ImageStreamList',
    group: IMAGE_GROUP,
    namespaced: true,
    verbs: ALL,
    shortNames: ['is'],
    categories: ['all'],
    legacy: true,
    fields: {
      'spec.dockerImageRepository': (o) => o.spec?.dockerImageRepository ?? '',
      'status.dockerImageRepository': (o) => o.status?.dockerImageRepository ?? ''
    }
  },
  imagestreamtags: {
    plural: 'imagestreamtags',
    kind: 'ImageStreamTag',
    listKind: 'ImageStreamTagList',
    group: IMAGE_GROUP,
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
    shortNames: ['istag'],
    legacy: true
  },
  imagestreamimports: {
    plural: 'imagestreamimports',
    kind: 'ImageStreamImport',
    listKind: 'ImageStreamImportList',
    group: IMAGE_GROUP,
    namespaced: true,
    verbs: ['create'],
    legacy: true
  },
  secrets: {
    plural: 'secrets',
    kind: 'Secret',
    listKind: 'SecretList',
    group: '',
    namespaced: true,
    verbs: ALL,
    legacy: false,
    fields: { type: (o) => o.type }
  },
  configmaps: {
    plural: 'configmaps',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    group: '',
    namespaced: true,
    verbs: ALL,
    shortNames: ['cm'],
    legacy: false
  },
  resourcequotas: {
    plural: 'resourcequotas',
    kind: 'ResourceQuota',
    listKind: 'ResourceQuotaList',
    group: '',
    namespaced: true,
    verbs: ALL,
    shortNames: ['quota'],
    legacy: false
  },
  serviceaccounts: {
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    listKind: 'ServiceAccountList',
    group: '',
    namespaced: true,
    verbs: ALL,
    shortNames: ['sa'],
    legacy: false
  },
  // The build pods (pods.ts): the emulator runs no other pods, so they are read-only here.
  pods: {
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
  },
  // The user of the token (accounts.ts); `users/~` is the one asking.
  users: {
    plural: 'users',
    kind: 'User',
    listKind: 'UserList',
    group: USER_GROUP,
    namespaced: false,
    verbs: ['get', 'list', 'watch'],
    legacy: true
  },
  namespaces: {
    plural: 'namespaces',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    group: '',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    legacy: false,
    fields: { 'status.phase': (o) => o.status?.phase }
  }
}

/** apiVersion of an object served under the given prefix. */
export function apiVersionFor(def: ResourceDef, legacy: boolean): string {
  if (!def.group || legacy) return 'v1'
  return `${def.group}/v1`
}

/** Subresources listed in discovery (connect verbs are never listed). */
export const SUBRESOURCES: Record<string, Array<{ name: string; kind: string; verbs: Verb[] }>> = {
  [BUILD_GROUP]: [
    { name: 'buildconfigs/instantiate', kind: 'BuildRequest', verbs: ['create'] },
    { name: 'buildconfigs/instantiatebinary', kind: 'BinaryBuildRequestOptions', verbs: [] },
    { name: 'buildconfigs/webhooks', kind: 'Build', verbs: [] },
    { name: 'builds/clone', kind: 'BuildRequest', verbs: ['create'] },
    { name: 'builds/details', kind: 'Build', verbs: ['update'] },
    { name: 'builds/log', kind: 'BuildLog', verbs: ['get'] }
  ],
  [IMAGE_GROUP]: [
    { name: 'imagestreams/secrets', kind: 'SecretList', verbs: ['get'] },
    { name: 'imagestreams/status', kind: 'ImageStream', verbs: ['get', 'patch', 'update'] }
  ],
  [USER_GROUP]: [],
  '': []
}
