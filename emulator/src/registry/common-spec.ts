/**
 * CommonSpec, what a BuildConfig and a Build share (source, strategy, output, resources): its schema, the defaults
 * the server fills in, and its validation (OpenShift's `validateCommonSpec`).
 */
import { any, arr, bool, EnvVar, int, LocalObjectReference, map, obj, ObjectReference, str, type Schema } from '../api/schema.js'
import { forbidden, type ResourceRef, type StatusCause } from '../api/status.js'
import { ENV_NAME, FROM_KINDS, invalidValue, isPullSpec, notSupported, required } from '../api/validation.js'
import type { Identity } from '../apiserver/authn.js'
import { isBound } from '../apiserver/authz.js'
import type { RegistryDeps } from './deps.js'

const SourceControlUser = obj('SourceControlUser', { name: str, email: str })

export const SourceRevision = obj('SourceRevision', {
  type: str,
  git: obj('GitSourceRevision', { commit: str, author: SourceControlUser, committer: SourceControlUser, message: str })
})

export const BuildSource = obj('BuildSource', {
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

export const commonSpec: Record<string, Schema> = {
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

function strategyType(st: any): string | undefined {
  if (st?.customStrategy != null) return 'Custom'
  if (st?.dockerStrategy != null) return 'Docker'
  if (st?.sourceStrategy != null) return 'Source'
  if (st?.jenkinsPipelineStrategy != null) return 'JenkinsPipeline'
  return undefined
}

function sourceType(src: any): string {
  if (src?.git != null) return 'Git'
  if (src?.binary != null) return 'Binary'
  if (src?.dockerfile != null) return 'Dockerfile'
  if (src?.images?.length) return 'Image'
  return 'None'
}

export function normalizeFrom(from: any): void {
  if (!from || typeof from !== 'object') return
  if (!from.kind) from.kind = 'ImageStreamTag'
  if (from.kind === 'ImageStream') {
    from.kind = 'ImageStreamTag'
    if (from.name && !from.name.includes(':')) from.name = `${from.name}:latest`
  }
}

/** Defaults of CommonSpec (BuildConfig and Build). */
export function defaultCommonSpec(spec: any): void {
  spec.source ??= {}
  spec.source.type ||= sourceType(spec.source)
  spec.strategy ??= {}
  const st = strategyType(spec.strategy)
  if (st) spec.strategy.type = st
  const s = spec.strategy.customStrategy ?? spec.strategy.sourceStrategy ?? spec.strategy.dockerStrategy
  if (s?.from) normalizeFrom(s.from)
  // Go's `omitempty`: an empty env or secrets list is not kept
  for (const list of ['env', 'secrets']) if (Array.isArray(s?.[list]) && !s[list].length) delete s[list]
  spec.output ??= {}
  if (spec.output.to && (!spec.output.to.kind || spec.output.to.kind === 'ImageStream')) {
    spec.output.to.kind = 'ImageStreamTag'
  }
  spec.resources ??= {}
  spec.postCommit ??= {}
  if (spec.nodeSelector === undefined) spec.nodeSelector = null
}

/** The strategy's own options (custom, source or docker), where `from` and `env` are. */
export function strategyOf(spec: any): any {
  const st = spec?.strategy ?? {}
  return st.customStrategy ?? st.sourceStrategy ?? st.dockerStrategy
}

export function validateFrom(from: any, path: string, causes: StatusCause[]): void {
  if (!from || typeof from !== 'object') {
    causes.push(required(path))
    return
  }
  if (!from.name) causes.push(required(`${path}.name`))
  const kind = from.kind ?? ''
  if (!kind) causes.push(required(`${path}.kind`))
  else if (!FROM_KINDS.includes(kind)) causes.push(notSupported(`${path}.kind`, kind, FROM_KINDS))
  else if (kind === 'ImageStreamTag' && from.name && !/^[^:@/\s]+:[^:@/\s]+$/.test(from.name)) {
    causes.push(invalidValue(`${path}.name`, from.name, 'ImageStreamTag object references must be in the form <name>:<tag>'))
  } else if (kind === 'ImageStreamImage' && from.name && !/^[^:@/\s]+@[^@\s]+$/.test(from.name)) {
    causes.push(invalidValue(`${path}.name`, from.name, 'ImageStreamImage object references must be in the form <name>@<id>'))
  } else if (kind === 'DockerImage' && from.name && !isPullSpec(from.name)) {
    causes.push(invalidValue(`${path}.name`, from.name, 'invalid reference format'))
  }
  if (kind === 'DockerImage' && from.namespace) causes.push(invalidValue(`${path}.namespace`, from.namespace, "namespace is not valid when used with a 'DockerImage'"))
}

export function validateEnv(env: any, path: string, causes: StatusCause[]): void {
  if (!Array.isArray(env)) return
  env.forEach((e: any, i: number) => {
    const p = `${path}[${i}]`
    if (!e?.name) causes.push(required(`${p}.name`))
    else if (!ENV_NAME.test(e.name))
      causes.push(invalidValue(`${p}.name`, e.name, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"))
    if (e?.valueFrom?.resourceFieldRef) causes.push(invalidValue(`${p}.valueFrom.resourceFieldRef`, 'resourceFieldRef', 'resourceFieldRef is not supported by builds'))
  })
}

const STRATEGIES = ['sourceStrategy', 'customStrategy', 'dockerStrategy', 'jenkinsPipelineStrategy'] as const

/** Rules of the spec shared by BuildConfig and Build (CommonSpec). */
export function validateCommonSpec(spec: any, causes: StatusCause[]): void {
  if (!spec || typeof spec !== 'object') {
    causes.push(required('spec.strategy'))
    return
  }
  const strategy = spec.strategy ?? {}
  const set = STRATEGIES.filter((s) => strategy[s] != null)
  if (set.length !== 1) {
    causes.push(invalidValue('spec.strategy', strategy.type ?? '', 'must provide a value for exactly one of sourceStrategy, customStrategy, dockerStrategy, or jenkinsPipelineStrategy'))
  }
  const source = spec.source ?? {}
  if (source.git != null) {
    if (!source.git.uri) causes.push(required('spec.source.git.uri'))
    else if (/\s/.test(source.git.uri)) causes.push(invalidValue('spec.source.git.uri', source.git.uri, 'invalid URL'))
  }
  if (strategy.dockerStrategy != null && source.git == null && source.binary == null && source.dockerfile == null && !(source.images?.length > 0)) {
    causes.push(invalidValue('spec.source', '', 'must provide a value for at least one source input(git, binary, dockerfile, images).'))
  }
  if (strategy.customStrategy != null) {
    const cs = strategy.customStrategy
    validateFrom(cs.from, 'spec.strategy.customStrategy.from', causes)
    validateEnv(cs.env, 'spec.strategy.customStrategy.env', causes)
    const mounts = new Set<string>()
    ;(cs.secrets ?? []).forEach((s: any, i: number) => {
      const p = `spec.strategy.customStrategy.secrets[${i}]`
      if (!s?.secretSource?.name) causes.push(required(`${p}.secretSource`))
      if (!s?.mountPath) causes.push(required(`${p}.mountPath`))
      else if (mounts.has(s.mountPath)) causes.push(invalidValue(`${p}.mountPath`, s.mountPath, 'duplicate mountPath'))
      else mounts.add(s.mountPath)
    })
  }
  if (strategy.sourceStrategy != null) {
    validateFrom(strategy.sourceStrategy.from, 'spec.strategy.sourceStrategy.from', causes)
    validateEnv(strategy.sourceStrategy.env, 'spec.strategy.sourceStrategy.env', causes)
  }
  if (strategy.dockerStrategy != null) {
    if (strategy.dockerStrategy.from != null) validateFrom(strategy.dockerStrategy.from, 'spec.strategy.dockerStrategy.from', causes)
    validateEnv(strategy.dockerStrategy.env, 'spec.strategy.dockerStrategy.env', causes)
  }
  const to = spec.output?.to
  if (to != null) {
    const kind = to.kind ?? ''
    if (!['ImageStreamTag', 'DockerImage', 'ImageStream', ''].includes(kind)) {
      causes.push(notSupported('spec.output.to.kind', kind, ['DockerImage', 'ImageStreamTag']))
    } else if (!to.name) causes.push(required('spec.output.to.name'))
    else if ((kind === 'ImageStreamTag' || kind === '') && !/^[^:@/\s]+:[^:@/\s]+$/.test(to.name)) {
      causes.push(invalidValue('spec.output.to.name', to.name, 'ImageStreamTag object references must be in the form <name>:<tag>'))
    } else if (kind === 'DockerImage' && !isPullSpec(to.name)) causes.push(invalidValue('spec.output.to.name', to.name, 'invalid reference format'))
  }
  if (spec.completionDeadlineSeconds != null && spec.completionDeadlineSeconds <= 0) {
    causes.push(invalidValue('spec.completionDeadlineSeconds', spec.completionDeadlineSeconds, 'completionDeadlineSeconds must be a positive integer greater than 0'))
  }
}

/** The From column of builds and buildconfigs: the source type, with the commit when known. */
export function buildFrom(spec: any): string {
  const type = spec?.source?.type ?? (spec?.source?.git ? 'Git' : 'None')
  const commit = spec?.revision?.git?.commit
  return commit ? `${type}@${String(commit).slice(0, 7)}` : type
}

/**
 * The admission check of `builds/custom` (openshift-api.md §3.12; BuildByStrategy): a create or update of a Build or
 * BuildConfig, an instantiate and a clone of the Custom strategy need `create` on `builds/custom`, which only the
 * cluster role `system:build-strategy-custom` grants (authz.ts).
 */
export function admitStrategy(deps: RegistryDeps, user: Identity | undefined, ref: ResourceRef, name: string, spec: any): void {
  if (spec?.strategy?.customStrategy != null && !isBound(deps.customStrategySubjects, user)) {
    throw forbidden(ref, name, 'build strategy Custom is not allowed')
  }
}
