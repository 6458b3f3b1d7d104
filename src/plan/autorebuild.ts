/** The base layer and the ImageChange trigger (SPEC §4.2, §5.4): whether the BuildConfig rebuilds when the base image changes, and why. */
import type { ImageLabels } from '../naming/pushed-names.js'
import type { Problem } from '../shared/errors.js'
import { imageStreamTagFromImage } from '../naming/names.js'
import type { RepoConfig } from '../checkout/repo-config.js'
import type { Settings } from '../settings.js'

export interface AutorebuildPlan {
  /** BL's ImageStreamTag `name:tag` (null when untrackable or scratch). */
  baseImageStreamTag: string | null
  /** Whether the ImageChange trigger is written. */
  trigger: boolean
  /** Why (for notices and the summary). */
  reason: string
  /** Said before anything is written when there is no trigger. */
  notice?: string
  /** A release label with autorebuild enabled: every autorebuild would push the same release. */
  problem?: Problem
}

export function planAutorebuild(settings: Settings, baseImage: string | null, labels: ImageLabels, config: RepoConfig): AutorebuildPlan {
  const baseImageStreamTag = baseImage === null ? null : imageStreamTagFromImage(baseImage)
  let reason: string
  let notice: string | undefined
  if (baseImage === null) {
    reason = `the final stage starts FROM scratch: there is no base image to follow`
    notice = `No ImageChange trigger: ${reason}`
  } else if (baseImageStreamTag === null) {
    reason = `base image ${baseImage} is pinned by digest and cannot be followed by an ImageChange trigger`
    notice = `No ImageChange trigger: ${reason}`
  } else if (!config.autorebuild) {
    reason = `autorebuild is disabled (${config.source})`
    notice = `No ImageChange trigger: ${reason}`
  } else {
    reason = `rebuilt when ImageStreamTag ${baseImageStreamTag} changes (${config.source})`
  }
  const trigger = baseImageStreamTag !== null && config.autorebuild
  let problem: Problem | undefined
  if (trigger && labels.release !== undefined) {
    problem = {
      file: settings.dockerfile,
      line: labels.releaseLine,
      message:
        `Dockerfile ${settings.dockerfile}: label release=${JSON.stringify(labels.release)} is set while autorebuild is enabled (${config.source}); ` +
        `an autorebuild must bump the release. Remove the release label, or set enabled = false under [autorebuild] in ${settings.repoConfigFile}`
    }
  }
  return { baseImageStreamTag, trigger, reason, ...(notice ? { notice } : {}), ...(problem ? { problem } : {}) }
}
