/** What the plan tells the user before anything is written: the notices of defaults taken, and the warnings of inputs that do less than they seem to. */
import type { ImageLabels } from '../naming/pushed-names.js'
import { q, type Problem } from '../shared/errors.js'
import { DEFAULT_BUILD_JSON_DIR } from '../inputs/defaults.js'
import type { Settings } from '../settings.js'

/** The API as a build pod sees it, used when neither builder-openshift-url nor openshift-server is known. */
export const IN_CLUSTER_API_URL = 'https://kubernetes.default.svc'

/** The OpenShift API URL the plugins inside the build use, and the notice when it is the in-cluster default. */
export function pluginApiUrl(settings: Settings): { url: string; notice?: string } {
  const url = settings.builderOpenshiftUrl ?? settings.connection.server
  if (url) return { url }
  return {
    url: IN_CLUSTER_API_URL,
    notice: `builder-openshift-url: no builder-openshift-url or openshift-server is known, so the plugins inside the build use ${IN_CLUSTER_API_URL} (the API as seen from a build pod)`
  }
}

/** A registry URI without a version suffix is a v1 registry (OSBS design): said once per such registry. */
export function registryNotices(settings: Settings): string[] {
  return settings.registries
    .filter((registry) => !registry.versionExplicit)
    .map((registry) => `registry-uri: ${registry.uri} has no /v1 or /v2 suffix, so it is a v1 registry (OSBS design); add /v2 for a v2 registry`)
}

/** No release label without koji-hub, the deprecated build-json-dir, and an ImageStream that is not written. */
export function planWarnings(settings: Settings, plan: { labels: ImageLabels; trigger: boolean; imageStream: string; imageStreamWritten: boolean }): Problem[] {
  const { labels, trigger, imageStream } = plan
  const warnings: Problem[] = []
  // A scratch build pushes its unique tag only: no tag carries the release.
  if (!settings.kojiHub && labels.release === undefined && settings.kind !== 'scratch') {
    warnings.push({
      file: settings.dockerfile,
      message:
        `Dockerfile ${settings.dockerfile} has no release label and koji-hub is not set: bump_release, which asks a Koji hub for the next release, is left out, ` +
        `so atomic-reactor 1.6.26.3 tags the image ${labels.name}:${labels.version}-None${trigger ? ' and every autorebuild pushes that tag again' : ''}, ` +
        `and add_dockerfile (which names the Dockerfile it puts in the image by name-version-release) logs an error and adds none. ` +
        `Set koji-hub${trigger ? '' : ', or add a release label'}`
    })
  }

  if (settings.buildJsonDir !== DEFAULT_BUILD_JSON_DIR) {
    warnings.push({
      input: 'build-json-dir',
      message: `Input build-json-dir: ${q(settings.buildJsonDir)} is not used and is deprecated: it fed import_image, which the action no longer renders (the action updates ImageStream ${imageStream} itself). Remove it from the workflow`
    })
  }
  if (!plan.imageStreamWritten) {
    warnings.push({
      message: `No registry is pushed to and no source-registry-uri is set: ImageStream ${imageStream} is not written, so images built on this one are not rebuilt when it changes. Set registry-uri (and registry-api-versions) or source-registry-uri`
    })
  }
  return warnings
}
