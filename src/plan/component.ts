/** The component of the image (SPEC §2): the input, else the Dockerfile label, else the repository name. */
import type { DockerfileInfo } from '../checkout/dockerfile.js'
import type { ImageLabels } from '../naming/pushed-names.js'
import type { Problem } from '../shared/errors.js'
import { isImagePathComponent, repoNameFromGitUri } from '../naming/names.js'
import type { Settings } from '../settings.js'

/** The component, and the problem when the one taken from the Dockerfile or the repository cannot be part of an image name. */
export function componentOf(settings: Settings, info: DockerfileInfo, labels: ImageLabels): { component: string; problem?: Problem } {
  if (settings.component) return { component: settings.component }
  if (labels.component) {
    const component = labels.component
    if (isImagePathComponent(component)) return { component }
    return {
      component,
      problem: {
        file: settings.dockerfile,
        line: info.finalStageLine,
        message: `Dockerfile ${settings.dockerfile}: label ${labels.componentLabel}=${JSON.stringify(component)} cannot be part of an image name (lowercase letters, digits, and . _ - between them); fix the label or set the component input`
      }
    }
  }
  const repoName = (settings.run.repository.split('/')[1] || repoNameFromGitUri(settings.git.uri)).toLowerCase()
  const component = repoName
  if (isImagePathComponent(component)) return { component }
  return {
    component,
    problem: {
      input: 'component',
      message: `Input component: not set, and neither the Dockerfile (com.redhat.component, BZComponent) nor the repository name ${JSON.stringify(repoName)} gives a valid image name part; set the component input`
    }
  }
}
