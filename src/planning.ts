/**
 * From Settings and the checkout's files to a BuildPlan (SPEC §3–§5), without any network request.
 * `planBuild` is pure (files, clock and randomness are passed in); `planFromCheckout` reads the files.
 */
import type { BuildPlan } from './plan.js'
import type { Settings } from './settings.js'
import type { Reporter } from './reporter.js'
import { annotationOf, ProblemsError, q, type Problem } from './errors.js'
import { parseRepoConfig } from './repo-config.js'
import { analyzeDockerfile, imageLabels } from './dockerfile.js'
import { buildConfigNameFromGit, imageStreamFromNameLabel, imageStreamTagFromImage, isDns1123Label, isImagePathComponent, repoNameFromGitUri, uniqueTag } from './names.js'
import { renderPlugins } from './render/plugins.js'
import { renderBuildConfig } from './render/build-config.js'
import { imageStreamFor, plannedTags } from './render/image-stream.js'
import { DEFAULT_BUILD_JSON_DIR } from './input-groups.js'
import { pushedNameProblems } from './pushed-names.js'
import { decodeUtf8, readCheckoutFile } from './workspace-files.js'

/** The API as a build pod sees it, used when neither builder-openshift-url nor openshift-server is known. */
export const IN_CLUSTER_API_URL = 'https://kubernetes.default.svc'

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

/** Renders everything the action will write. Throws a ProblemsError listing every problem found. */
export function planBuild(settings: Settings, files: CheckoutFiles, options: PlanOptions = {}): BuildPlan {
  const problems: Problem[] = []
  const notices: string[] = []
  const warnings: Problem[] = []

  const repoConfig = parseRepoConfig(files.repoConfig, settings.repoConfigFile)
  problems.push(...repoConfig.problems)
  warnings.push(...repoConfig.warnings)

  const dockerfile = analyzeDockerfile(files.dockerfile, settings.dockerfile)
  problems.push(...dockerfile.problems)
  const info = dockerfile.info
  const labelResult = info ? imageLabels(info, settings.dockerfile) : undefined
  if (labelResult) problems.push(...labelResult.problems)
  const labels = labelResult?.labels
  if (!info || !labels) throw new ProblemsError(problems)

  // Component: the input, else the Dockerfile label, else the repository name (SPEC §2).
  let component: string
  if (settings.component) {
    component = settings.component
  } else if (labels.component) {
    component = labels.component
    if (!isImagePathComponent(component)) {
      problems.push({
        file: settings.dockerfile,
        line: info.finalStageLine,
        message: `Dockerfile ${settings.dockerfile}: label ${labels.componentLabel}=${JSON.stringify(component)} cannot be part of an image name (lowercase letters, digits, and . _ - between them); fix the label or set the component input`
      })
    }
  } else {
    const repoName = (settings.run.repository.split('/')[1] || repoNameFromGitUri(settings.git.uri)).toLowerCase()
    component = repoName
    if (!isImagePathComponent(component)) {
      problems.push({
        input: 'component',
        message: `Input component: not set, and neither the Dockerfile (com.redhat.component, BZComponent) nor the repository name ${JSON.stringify(repoName)} gives a valid image name part; set the component input`
      })
    }
  }

  // Every repository and tag to be pushed (SPEC §4.3).
  const versionLine = (info.labels.version ?? info.labels.Version)?.line
  problems.push(...pushedNameProblems(settings, { ...labels, versionLine }, component, settings.dockerfile))

  // Base layer and trigger (SPEC §4.2, §5.4).
  const baseImage = info.baseImage
  const baseImageStreamTag = baseImage === null ? null : imageStreamTagFromImage(baseImage)
  let reason: string
  if (baseImage === null) {
    reason = `the final stage starts FROM scratch: there is no base image to follow`
    notices.push(`No ImageChange trigger: ${reason}`)
  } else if (baseImageStreamTag === null) {
    reason = `base image ${baseImage} is pinned by digest and cannot be followed by an ImageChange trigger`
    notices.push(`No ImageChange trigger: ${reason}`)
  } else if (!repoConfig.config.autorebuild) {
    reason = `autorebuild is disabled (${repoConfig.config.source})`
    notices.push(`No ImageChange trigger: ${reason}`)
  } else {
    reason = `rebuilt when ImageStreamTag ${baseImageStreamTag} changes (${repoConfig.config.source})`
  }
  const trigger = baseImageStreamTag !== null && repoConfig.config.autorebuild
  if (trigger && labels.release !== undefined) {
    problems.push({
      file: settings.dockerfile,
      line: labels.releaseLine,
      message:
        `Dockerfile ${settings.dockerfile}: label release=${JSON.stringify(labels.release)} is set while autorebuild is enabled (${repoConfig.config.source}); ` +
        `an autorebuild must bump the release. Remove the release label, or set enabled = false under [autorebuild] in ${settings.repoConfigFile}`
    })
  }

  // Names (SPEC §4.1, §4.3).
  const buildConfigName = settings.buildConfigName ?? buildConfigNameFromGit(settings.git.uri, settings.git.branch)
  if (!isDns1123Label(buildConfigName)) {
    problems.push({
      input: 'build-config-name',
      message: `The BuildConfig name ${JSON.stringify(buildConfigName)} derived from git-uri and git-branch is not a DNS-1123 label; set build-config-name`
    })
  }
  const imageStream = imageStreamFromNameLabel(labels.name)

  let url = settings.builderOpenshiftUrl ?? settings.connection.server
  if (!url) {
    url = IN_CLUSTER_API_URL
    notices.push(`builder-openshift-url: no builder-openshift-url or openshift-server is known, so the plugins inside the build use ${IN_CLUSTER_API_URL} (the API as seen from a build pod)`)
  }

  for (const registry of settings.registries) {
    if (!registry.versionExplicit) {
      notices.push(`registry-uri: ${registry.uri} has no /v1 or /v2 suffix, so it is a v1 registry (OSBS design); add /v2 for a v2 registry`)
    }
  }

  if (!settings.kojiHub && labels.release === undefined) {
    warnings.push({
      file: settings.dockerfile,
      message:
        `Dockerfile ${settings.dockerfile} has no release label and koji-hub is not set: bump_release, which asks a Koji hub for the next release, is left out, ` +
        `so atomic-reactor 1.6.26.3 tags the image ${labels.name}:${labels.version}-None${trigger ? ' and every autorebuild pushes that tag again' : ''}. ` +
        `Set koji-hub${trigger ? '' : ', or add a release label'}`
    })
  }

  if (settings.buildJsonDir !== DEFAULT_BUILD_JSON_DIR) {
    warnings.push({
      input: 'build-json-dir',
      message: `Input build-json-dir: ${q(settings.buildJsonDir)} is not used and is deprecated: it fed import_image, which the action no longer renders (the action updates ImageStream ${imageStream} itself). Remove it from the workflow`
    })
  }
  const imageStreamObject = imageStreamFor(settings, { imageStream, nameLabel: labels.name }, plannedTags(labels.version)) ?? null
  if (!imageStreamObject) {
    warnings.push({
      message: `No registry is pushed to and no source-registry-uri is set: ImageStream ${imageStream} is not written, so images built on this one are not rebuilt when it changes. Set registry-uri (and registry-api-versions) or source-registry-uri`
    })
  }

  const rendered = renderPlugins(settings, { trigger, autorebuildSetInFile: repoConfig.config.line !== undefined, baseImage, url })
  problems.push(...rendered.problems)
  warnings.push(...rendered.warnings.map((message) => ({ message })))
  if (problems.length > 0) throw new ProblemsError(problems)

  const tag = uniqueTag(settings.target, options.now ?? new Date(), (options.random ?? Math.random)())
  const throughPulp = Boolean(settings.pulp?.secret || settings.pulpSync?.secret)
  const primary = settings.registries[0]
  const repository = `${settings.user}/${component}:${tag}`
  const outputImage = primary && !throughPulp ? `${primary.host}/${repository}` : repository

  const buildConfig = renderBuildConfig(settings, {
    name: buildConfigName,
    outputImage,
    triggerImageStreamTag: trigger ? baseImageStreamTag : null,
    plugins: rendered.plugins,
    secrets: rendered.secrets
  })

  return {
    settings,
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
    plugins: rendered.plugins,
    secrets: rendered.secrets,
    notices,
    warnings
  }
}

/**
 * Reads a file of the checkout as strict UTF-8; null when it does not exist. Its real path must be inside the
 * checkout (see workspace-files.ts). `input` names the input that gave its path, `what` the file in messages.
 * `keepByteOrderMark`: the repo config keeps one, as atomic-reactor's Python reads it (repo-config.ts).
 */
function readCheckoutText(workspace: string, file: string, input: string, what: string, keepByteOrderMark = false): string | null {
  const read = readCheckoutFile(workspace, file, input)
  if (read.kind === 'missing') return null
  if (read.kind === 'refused') throw new ProblemsError([{ input, message: read.message }])
  const decoded = decodeUtf8(read.bytes, { keepByteOrderMark })
  if ('text' in decoded) return decoded.text
  throw new ProblemsError([
    {
      input,
      file,
      line: decoded.line,
      message: `${what} ${file}:${decoded.line}: byte ${decoded.column} of the line is not UTF-8; save the file as UTF-8 (labels and tags are read as UTF-8 text)`
    }
  ])
}

/** Reads the Dockerfile and the repo config from the checkout, plans, and reports notices and warnings. */
export async function planFromCheckout(settings: Settings, reporter: Reporter, options: PlanOptions = {}): Promise<BuildPlan> {
  const dockerfile = readCheckoutText(settings.workspace, settings.dockerfile, 'dockerfile', 'Dockerfile')
  const repoConfig = readCheckoutText(settings.workspace, settings.repoConfigFile, 'repo-config-file', 'Repository config', true)
  const plan = planBuild(settings, { dockerfile, repoConfig }, options)
  for (const notice of plan.notices) reporter.notice(notice)
  for (const warning of plan.warnings) reporter.warning(warning.message, annotationOf(warning))
  return plan
}
