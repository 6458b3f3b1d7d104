/**
 * A BuildPlan is everything the action will write to the cluster, computed without any network request from the
 * Settings and the checkout (Dockerfile, repo config). `planBuild` produces it (pure: files, clock and randomness are
 * passed in; the objects rendered by render/…); the cluster flow only executes it; dry-run prints it.
 */
import { analyzeDockerfile, imageLabels, type DockerfileInfo } from '../checkout/dockerfile.js'
import type { ImageLabels } from '../naming/pushed-names.js'
import { ProblemsError, type Problem } from '../shared/errors.js'
import { buildConfigNameFromGit, imageStreamFromNameLabel, isDns1123Label, uniqueTag } from '../naming/names.js'
import { pushedNameProblems } from '../naming/pushed-names.js'
import { renderBuildConfig } from '../render/build-config.js'
import { imageStreamFor, plannedTags, type ImageStreamObject } from '../render/image-stream.js'
import { renderPlugins } from '../render/plugins/index.js'
import { SOURCE_SECRET_MOUNT_PATH } from '../render/source.js'
import type { AtomicReactorPlugins, BuildConfigObject, BuildObject, SecretUse } from '../render/types.js'
import { parseRepoConfig } from '../checkout/repo-config.js'
import type { BuildKind, Settings } from '../settings.js'
import { planAutorebuild } from './autorebuild.js'
import { autorebuildForKind, directBuildFor } from './kind.js'
import { componentOf } from './component.js'
import { planWarnings, pluginApiUrl, registryNotices } from './warnings.js'

export interface BuildPlan {
  settings: Settings
  /** branch: the BuildConfig is written and instantiated; scratch, isolated: `build` is posted directly. */
  kind: BuildKind
  /** The Build a scratch or isolated build posts (no BuildConfig, no trigger, no ImageStream); null for a branch build. */
  build: BuildObject | null
  /** The BuildConfig's name; empty for a Build posted directly. */
  buildConfigName: string
  /** The base layer BL (null for `FROM scratch`). */
  baseImage: string | null
  /** BL's ImageStreamTag `name:tag` (null when untrackable or scratch). */
  baseImageStreamTag: string | null
  /** Whether the ImageChange trigger is written, and why (for notices and the summary). */
  autorebuild: { enabled: boolean; reason: string }
  /** The Dockerfile's `name` label, its `version`, and the component. */
  labels: { name: string; version: string; component: string; release?: string }
  /** `imagestream` of IM (name label with `/` → `-`). */
  imageStream: string
  /**
   * The ImageStream the run writes after a Complete build, with the tags known before it (`<version>` without `-`,
   * `latest`; the run takes them from the build's `repositories` annotation); null when no registry is pushed to.
   */
  imageStreamObject: ImageStreamObject | null
  /** spec.output.to.name */
  outputImage: string
  buildConfig: BuildConfigObject
  plugins: AtomicReactorPlugins
  /** Every secret the build mounts (checked to exist before any write): the plugins' ones, then the source secret. */
  secrets: SecretUse[]
  /** Things to tell the user before anything is written (notices of SPEC §2, §4.2, §5.4). */
  notices: string[]
  /** Things to warn about; those about a line of a checkout file carry it (for annotations). */
  warnings: Problem[]
}

/** The files the plan needs, as text; null when the file does not exist. */
export interface CheckoutFiles {
  dockerfile: string | null
  repoConfig: string | null
}

export interface PlanOptions {
  /** Clock for the unique tag (default: now). */
  now?: Date
  /** Random number in [0, 1) for the unique tag (default: Math.random). */
  random?: () => number
}

/** The Dockerfile's base layer and labels; throws a ProblemsError with every problem so far when it has none. */
function readDockerfile(settings: Settings, text: string | null, problems: Problem[]): { info: DockerfileInfo; labels: ImageLabels } {
  const dockerfile = analyzeDockerfile(text, settings.dockerfile)
  problems.push(...dockerfile.problems)
  const info = dockerfile.info
  const labelResult = info ? imageLabels(info, settings.dockerfile) : undefined
  if (labelResult) problems.push(...labelResult.problems)
  const labels = labelResult?.labels
  if (!info || !labels) throw new ProblemsError(problems)
  return { info, labels }
}

/** The BuildConfig's name: the input, else derived from git-uri and git-branch (a problem when that is not a DNS-1123 label). */
function buildConfigNameOf(settings: Settings, problems: Problem[]): string {
  const buildConfigName = settings.buildConfigName ?? buildConfigNameFromGit(settings.git.uri, settings.git.branch)
  if (!isDns1123Label(buildConfigName)) {
    problems.push({
      input: 'build-config-name',
      message: `The BuildConfig name ${JSON.stringify(buildConfigName)} derived from git-uri and git-branch is not a DNS-1123 label; set build-config-name`
    })
  }
  return buildConfigName
}

/** spec.output.to.name: user/component:unique-tag, on the first registry unless the image goes through Pulp. */
function outputImageOf(settings: Settings, component: string, options: PlanOptions): string {
  const tag = uniqueTag(settings.target, options.now ?? new Date(), (options.random ?? Math.random)())
  const throughPulp = Boolean(settings.pulp?.secret || settings.pulpSync?.secret)
  const primary = settings.registries[0]
  const repository = `${settings.user}/${component}:${tag}`
  return primary && !throughPulp ? `${primary.host}/${repository}` : repository
}

/** Renders everything the action will write. Throws a ProblemsError listing every problem found. */
export function planBuild(settings: Settings, files: CheckoutFiles, options: PlanOptions = {}): BuildPlan {
  const problems: Problem[] = []
  const notices: string[] = []
  const warnings: Problem[] = []

  const repoConfig = parseRepoConfig(files.repoConfig, settings.repoConfigFile)
  problems.push(...repoConfig.problems)
  warnings.push(...repoConfig.warnings)
  const { info, labels } = readDockerfile(settings, files.dockerfile, problems)

  const { component, problem: componentProblem } = componentOf(settings, info, labels)
  if (componentProblem) problems.push(componentProblem)

  // Every repository and tag to be pushed (SPEC §4.3); an isolated build's release is the one given.
  const versionLine = (info.labels.version ?? info.labels.Version)?.line
  const pushedLabels = settings.release ? { ...labels, release: settings.release, releaseLine: undefined } : labels
  problems.push(...pushedNameProblems(settings, { ...pushedLabels, versionLine }, component, settings.dockerfile))

  // Base layer and trigger (SPEC §4.2, §5.4); a Build posted directly has none.
  const baseImage = info.baseImage
  const autorebuild = autorebuildForKind(settings.kind, planAutorebuild(settings, baseImage, labels, repoConfig.config))
  const { baseImageStreamTag, trigger, reason, notice: triggerNotice, problem: releaseProblem } = autorebuild
  if (triggerNotice) notices.push(triggerNotice)
  if (releaseProblem) problems.push(releaseProblem)

  // Names (SPEC §4.1, §4.3).
  const direct = settings.kind !== 'branch'
  const buildConfigName = direct ? '' : buildConfigNameOf(settings, problems)
  const imageStream = imageStreamFromNameLabel(labels.name)

  const { url, notice: urlNotice } = pluginApiUrl(settings)
  if (urlNotice) notices.push(urlNotice)
  notices.push(...registryNotices(settings))

  const imageStreamObject = direct ? null : (imageStreamFor(settings, { imageStream, nameLabel: labels.name }, plannedTags(labels.version)) ?? null)
  warnings.push(...planWarnings(settings, { labels: pushedLabels, trigger, imageStream, imageStreamWritten: direct || imageStreamObject !== null }))

  const rendered = renderPlugins(settings, { trigger, autorebuildSetInFile: repoConfig.config.line !== undefined, baseImage, stages: info.stages, url })
  problems.push(...rendered.problems)
  warnings.push(...rendered.warnings.map((message) => ({ message })))
  if (problems.length > 0) throw new ProblemsError(problems)

  const outputImage = outputImageOf(settings, component, options)
  const buildConfig = renderBuildConfig(settings, {
    name: buildConfigName,
    outputImage,
    triggerImageStreamTag: trigger ? baseImageStreamTag : null,
    plugins: rendered.plugins,
    secrets: rendered.secrets
  })

  const kind = directBuildFor(settings, rendered.plugins, buildConfig)
  return {
    settings,
    kind: settings.kind,
    build: kind.build,
    buildConfigName,
    baseImage,
    baseImageStreamTag,
    autorebuild: { enabled: trigger, reason },
    labels: {
      name: labels.name,
      version: labels.version,
      component,
      ...(labels.release !== undefined ? { release: labels.release } : {})
    },
    imageStream,
    imageStreamObject,
    outputImage,
    buildConfig,
    plugins: kind.plugins,
    secrets: settings.sourceSecret ? [...rendered.secrets, { name: settings.sourceSecret, input: 'source-secret', mountPath: SOURCE_SECRET_MOUNT_PATH }] : rendered.secrets,
    notices,
    warnings
  }
}
