/** The inputs passed through to the plugins inside the build, as the BuildConfig carries them. */
import { q } from '../shared/errors.js'
import { checkServerUrl, shownUrl } from '../cluster/server-url.js'
import { DEFAULT_BUILD_JSON_DIR } from './defaults.js'
import { hasPassword, type InputReader } from './reader.js'

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/** What the plugins inside the build are given: builder-openshift-url, koji-hub; and the deprecated build-json-dir. */
export function parsePluginSettings(r: InputReader): { builderOpenshiftUrl?: string; buildJsonDir: string; kojiHub?: string } {
  const builderOpenshiftUrl = r.optional('builder-openshift-url')
  if (builderOpenshiftUrl) {
    const checked = checkServerUrl(builderOpenshiftUrl, { allowPath: true })
    if ('reason' in checked)
      r.problems.push({
        input: 'builder-openshift-url',
        message: `Input builder-openshift-url: ${q(shownUrl(builderOpenshiftUrl))} is not valid: ${checked.reason}. Accepted: an http(s) URL of the OpenShift API, without user info`
      })
  }
  // Unused and deprecated (it fed import_image, no longer rendered): accepted as it is, and warned about when set.
  const buildJsonDir = r.get('build-json-dir') || DEFAULT_BUILD_JSON_DIR
  const kojiHub = r.optional('koji-hub')
  if (kojiHub && (!isHttpUrl(kojiHub) || hasPassword(kojiHub)))
    r.invalid('koji-hub', shownUrl(kojiHub), 'Accepted: an http(s) URL of the Koji hub, without user:password@ (it is written into the BuildConfig)')
  return { builderOpenshiftUrl, buildJsonDir, kojiHub }
}
