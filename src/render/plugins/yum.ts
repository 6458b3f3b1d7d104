/**
 * The yum repositories of the build (osbs-client's render_add_yum_repo_by_url; inject_yum_repo as in its template):
 * add_yum_repo_by_url fetches each `.repo` file of yum-repourls, the koji plugin (koji.ts) adds the target's
 * repository, inject_yum_repo writes what both added into the Dockerfile.
 */
import type { Settings } from '../../settings.js'
import type { PluginEntry } from '../types.js'

/** add_yum_repo_by_url, always rendered as osbs-client does (an empty list adds nothing), and inject_yum_repo after `koji`. */
export function addYumRepoByUrl(settings: Settings): PluginEntry {
  return { name: 'add_yum_repo_by_url', args: { repourls: [...settings.yumRepoUrls] } }
}

export const INJECT_YUM_REPO: PluginEntry = { name: 'inject_yum_repo' }
