/**
 * A trimmed, hand-written schema of the objects the emulator accepts in writes: the fields of OpenShift's
 * build.openshift.io/v1 and image.openshift.io/v1 types (and the core types they embed) that a client can send.
 * It drives decoding (type errors are 400s, like Go's JSON decoder; unknown fields are dropped with a warning,
 * or are a 400 under `fieldValidation=Strict`). A test checks every field here against OpenShift's OpenAPI.
 */

export type Schema =
  | { t: 'string' }
  | { t: 'integer' }
  | { t: 'number' }
  | { t: 'boolean' }
  | { t: 'any' }
  | { t: 'object'; name: string; props: Record<string, Schema> }
  | { t: 'array'; items: Schema }
  | { t: 'map'; values: Schema }

const str: Schema = { t: 'string' }
const int: Schema = { t: 'integer' }
const bool: Schema = { t: 'boolean' }
const any: Schema = { t: 'any' }
const obj = (name: string, props: Record<string, Schema>): Schema => ({ t: 'object', name, props })
const arr = (items: Schema): Schema => ({ t: 'array', items })
const map = (values: Schema): Schema => ({ t: 'map', values })

export const OwnerReference = obj('OwnerReference', {
  apiVersion: str,
  kind: str,
  name: str,
  uid: str,
  controller: bool,
  blockOwnerDeletion: bool
})

export const ObjectMeta = obj('ObjectMeta', {
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  creationTimestamp: str,
  deletionTimestamp: str,
  deletionGracePeriodSeconds: int,
  labels: map(str),
  annotations: map(str),
  ownerReferences: arr(OwnerReference),
  finalizers: arr(str),
  clusterName: str,
  managedFields: arr(any)
})

export const ObjectReference = obj('ObjectReference', {
  kind: str,
  namespace: str,
  name: str,
  uid: str,
  apiVersion: str,
  resourceVersion: str,
  fieldPath: str
})

export const LocalObjectReference = obj('LocalObjectReference', { name: str })

const keySelector = (name: string) => obj(name, { name: str, key: str, optional: bool })

export const EnvVar = obj('EnvVar', {
  name: str,
  value: str,
  valueFrom: obj('EnvVarSource', {
    fieldRef: obj('ObjectFieldSelector', { apiVersion: str, fieldPath: str }),
    resourceFieldRef: obj('ResourceFieldSelector', { containerName: str, resource: str, divisor: any }),
    configMapKeyRef: keySelector('ConfigMapKeySelector'),
    secretKeyRef: keySelector('SecretKeySelector')
  })
})

const SourceControlUser = obj('SourceControlUser', { name: str, email: str })

export const SourceRevision = obj('SourceRevision', {
  type: str,
  git: obj('GitSourceRevision', { commit: str, author: SourceControlUser, committer: SourceControlUser, message: str })
})

const BuildSource = obj('BuildSource', {
  type: str,
  binary: obj('BinaryBuildSource', { asFile: str }),
  dockerfile: str,
  git: obj('GitBuildSource', { uri: str, ref: str, httpProxy: str, httpsProxy: str, noProxy: str }),
  images: arr(
    obj('ImageSource', {
      from: ObjectReference,
      paths: arr(obj('ImageSourcePath', { sourcePath: str, destinationDir: str })),
      pullSecret: LocalObjectReference
    })
  ),
  contextDir: str,
  sourceSecret: LocalObjectReference,
  secrets: arr(obj('SecretBuildSource', { secret: LocalObjectReference, destinationDir: str }))
})

const BuildStrategy = obj('BuildStrategy', {
  type: str,
  dockerStrategy: obj('DockerBuildStrategy', {
    from: ObjectReference,
    pullSecret: LocalObjectReference,
    noCache: bool,
    env: arr(EnvVar),
    forcePull: bool,
    dockerfilePath: str,
    buildArgs: arr(EnvVar),
    imageOptimizationPolicy: str
  }),
  sourceStrategy: obj('SourceBuildStrategy', {
    from: ObjectReference,
    pullSecret: LocalObjectReference,
    env: arr(EnvVar),
    scripts: str,
    incremental: bool,
    forcePull: bool
  }),
  customStrategy: obj('CustomBuildStrategy', {
    from: ObjectReference,
    pullSecret: LocalObjectReference,
    env: arr(EnvVar),
    exposeDockerSocket: bool,
    forcePull: bool,
    secrets: arr(obj('SecretSpec', { secretSource: LocalObjectReference, mountPath: str })),
    buildAPIVersion: str
  }),
  jenkinsPipelineStrategy: obj('JenkinsPipelineBuildStrategy', { jenkinsfilePath: str, jenkinsfile: str, env: arr(EnvVar) })
})

const BuildOutput = obj('BuildOutput', {
  to: ObjectReference,
  pushSecret: LocalObjectReference,
  imageLabels: arr(obj('ImageLabel', { name: str, value: str }))
})

const commonSpec: Record<string, Schema> = {
  serviceAccount: str,
  source: BuildSource,
  revision: SourceRevision,
  strategy: BuildStrategy,
  output: BuildOutput,
  resources: obj('ResourceRequirements', { limits: map(any), requests: map(any) }),
  postCommit: obj('BuildPostCommitSpec', { command: arr(str), args: arr(str), script: str }),
  completionDeadlineSeconds: int,
  nodeSelector: map(str)
}

const webHookCause = (name: string) => obj(name, { revision: SourceRevision, secret: str })

export const BuildTriggerCause = obj('BuildTriggerCause', {
  message: str,
  genericWebHook: webHookCause('GenericWebHookCause'),
  githubWebHook: webHookCause('GitHubWebHookCause'),
  imageChangeBuild: obj('ImageChangeCause', { imageID: str, fromRef: ObjectReference }),
  gitlabWebHook: webHookCause('GitLabWebHookCause'),
  bitbucketWebHook: webHookCause('BitbucketWebHookCause')
})

const WebHookTrigger = obj('WebHookTrigger', { secret: str, allowEnv: bool })

export const BuildConfig = obj('BuildConfig', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('BuildConfigSpec', {
    ...commonSpec,
    triggers: arr(
      obj('BuildTriggerPolicy', {
        type: str,
        github: WebHookTrigger,
        generic: WebHookTrigger,
        gitlab: WebHookTrigger,
        bitbucket: WebHookTrigger,
        imageChange: obj('ImageChangeTrigger', { lastTriggeredImageID: str, from: ObjectReference, paused: bool })
      })
    ),
    runPolicy: str,
    successfulBuildsHistoryLimit: int,
    failedBuildsHistoryLimit: int
  }),
  status: obj('BuildConfigStatus', {
    lastVersion: int,
    imageChangeTriggers: arr(
      obj('ImageChangeTriggerStatus', {
        lastTriggeredImageID: str,
        from: obj('ImageStreamTagReference', { namespace: str, name: str }),
        lastTriggerTime: str
      })
    )
  })
})

export const Build = obj('Build', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('BuildSpec', { ...commonSpec, triggeredBy: arr(BuildTriggerCause) }),
  status: obj('BuildStatus', {
    phase: str,
    cancelled: bool,
    reason: str,
    message: str,
    startTimestamp: str,
    completionTimestamp: str,
    duration: int,
    outputDockerImageReference: str,
    config: ObjectReference,
    output: obj('BuildStatusOutput', { to: obj('BuildStatusOutputTo', { imageDigest: str }) }),
    stages: arr(any),
    logSnippet: str
  })
})

export const BuildRequest = obj('BuildRequest', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  revision: SourceRevision,
  triggeredByImage: ObjectReference,
  from: ObjectReference,
  binary: obj('BinaryBuildSource', { asFile: str }),
  lastVersion: int,
  env: arr(EnvVar),
  triggeredBy: arr(BuildTriggerCause),
  dockerStrategyOptions: obj('DockerStrategyOptions', { buildArgs: arr(EnvVar), noCache: bool }),
  sourceStrategyOptions: obj('SourceStrategyOptions', { incremental: bool })
})

const TagImportPolicy = obj('TagImportPolicy', { insecure: bool, scheduled: bool })
const TagReferencePolicy = obj('TagReferencePolicy', { type: str })

export const TagReference = obj('TagReference', {
  name: str,
  annotations: map(str),
  from: ObjectReference,
  reference: bool,
  generation: int,
  importPolicy: TagImportPolicy,
  referencePolicy: TagReferencePolicy
})

export const ImageStream = obj('ImageStream', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('ImageStreamSpec', {
    lookupPolicy: obj('ImageLookupPolicy', { local: bool }),
    dockerImageRepository: str,
    tags: arr(TagReference)
  }),
  status: obj('ImageStreamStatus', {
    dockerImageRepository: str,
    publicDockerImageRepository: str,
    tags: arr(
      obj('NamedTagEventList', {
        tag: str,
        items: arr(obj('TagEvent', { created: str, dockerImageReference: str, image: str, generation: int })),
        conditions: arr(any)
      })
    )
  })
})

export const ImageStreamTag = obj('ImageStreamTag', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  tag: TagReference,
  generation: int,
  lookupPolicy: obj('ImageLookupPolicy', { local: bool }),
  conditions: arr(any),
  image: any
})

const ImageImportSpec = obj('ImageImportSpec', {
  from: ObjectReference,
  to: LocalObjectReference,
  importPolicy: TagImportPolicy,
  referencePolicy: TagReferencePolicy,
  includeManifest: bool
})

export const ImageStreamImport = obj('ImageStreamImport', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('ImageStreamImportSpec', {
    import: bool,
    repository: obj('RepositoryImportSpec', {
      from: ObjectReference,
      importPolicy: TagImportPolicy,
      referencePolicy: TagReferencePolicy,
      includeManifest: bool
    }),
    images: arr(ImageImportSpec)
  }),
  status: any
})

export const Secret = obj('Secret', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  data: map(str),
  stringData: map(str),
  type: str
})

export const Namespace = obj('Namespace', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('NamespaceSpec', { finalizers: arr(str) }),
  status: obj('NamespaceStatus', { phase: str })
})

export const ConfigMap = obj('ConfigMap', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  data: map(str),
  binaryData: map(str)
})

/** resource.Quantity: a JSON string or number (checked and canonicalized by corekinds.ts). */
const quantities = map(any)

export const ResourceQuota = obj('ResourceQuota', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('ResourceQuotaSpec', {
    hard: quantities,
    scopes: arr(str),
    scopeSelector: any
  }),
  status: obj('ResourceQuotaStatus', { hard: quantities, used: quantities })
})

export const ServiceAccount = obj('ServiceAccount', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  secrets: arr(ObjectReference),
  imagePullSecrets: arr(LocalObjectReference),
  automountServiceAccountToken: bool
})

export const DeleteOptions = obj('DeleteOptions', {
  kind: str,
  apiVersion: str,
  gracePeriodSeconds: int,
  preconditions: obj('Preconditions', { uid: str, resourceVersion: str }),
  orphanDependents: bool,
  propagationPolicy: str,
  dryRun: arr(str)
})

/** Schema of the body of a write, by kind. */
export const SCHEMAS: Record<string, Schema> = {
  BuildConfig,
  Build,
  BuildRequest,
  ImageStream,
  ImageStreamTag,
  ImageStreamImport,
  Secret,
  Namespace,
  ConfigMap,
  ResourceQuota,
  ServiceAccount,
  DeleteOptions
}

const goType = (s: Schema): string => {
  switch (s.t) {
    case 'string':
      return 'string'
    case 'integer':
      return 'int64'
    case 'number':
      return 'float64'
    case 'boolean':
      return 'bool'
    case 'object':
      return `v1.${s.name}`
    case 'array':
      return `[]${goType(s.items)}`
    case 'map':
      return `map[string]${goType(s.values)}`
    default:
      return 'interface {}'
  }
}

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v)

export interface DecodeResult {
  /** the first type error, worded like Go's encoding/json */
  typeError?: string
  /** dotted paths of fields the schema does not know (they are removed from the value) */
  unknown: string[]
}

/**
 * Check `value` against `schema` in place: unknown fields are removed and reported, the first type mismatch is
 * reported. `null` is accepted anywhere (Go decodes it to the zero value).
 */
export function decode(value: unknown, schema: Schema): DecodeResult {
  const res: DecodeResult = { unknown: [] }
  walk(value, schema, '', schema.t === 'object' ? schema.name : '', res)
  return res
}

function walk(v: unknown, s: Schema, path: string, struct: string, res: DecodeResult): void {
  if (v === null || v === undefined || s.t === 'any') return
  const mismatch = () => {
    if (!res.typeError) {
      const num = typeof v === 'number' ? ` ${v}` : ''
      res.typeError = `json: cannot unmarshal ${jsonType(v)}${num} into Go struct field ${struct}.${path} of type ${goType(s)}`
    }
  }
  switch (s.t) {
    case 'string':
      if (typeof v !== 'string') mismatch()
      return
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) mismatch()
      return
    case 'number':
      if (typeof v !== 'number') mismatch()
      return
    case 'boolean':
      if (typeof v !== 'boolean') mismatch()
      return
    case 'array':
      if (!Array.isArray(v)) return mismatch()
      v.forEach((item) => walk(item, s.items, path, struct, res))
      return
    case 'map':
      if (typeof v !== 'object' || Array.isArray(v)) return mismatch()
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, s.values, path ? `${path}.${k}` : k, struct, res)
      return
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) return mismatch()
      const o = v as Record<string, unknown>
      for (const k of Object.keys(o)) {
        const sub = s.props[k]
        const p = path ? `${path}.${k}` : k
        if (!sub) {
          res.unknown.push(p)
          delete o[k]
          continue
        }
        walk(o[k], sub, p, s.name, res)
      }
    }
  }
}
