/** What goes into the image besides the checkout: extra yum repositories (osbs-client's --add-yum-repo), the squash, the RPM list. */
import { shownUrl } from '../cluster/server-url.js'
import { isHttpUrl } from './plugin-settings.js'
import { hasPassword, parseList, type InputReader } from './reader.js'

/** yum-repourls (each an http(s) URL of a `.repo` file, written into the BuildConfig), squash and rpm-packages. */
export function parseImageContent(r: InputReader): { yumRepoUrls: string[]; squash: boolean; rpmPackages: boolean } {
  const yumRepoUrls = parseList('yum-repourls', r.get('yum-repourls'), r.problems)
  for (const url of yumRepoUrls) {
    if (!isHttpUrl(url) || hasPassword(url))
      r.invalid('yum-repourls', shownUrl(url), 'Accepted: http(s) URLs of .repo files, without user:password@ (they are written into the BuildConfig), separated by commas and/or newlines')
  }
  return { yumRepoUrls, squash: r.bool('squash', true), rpmPackages: r.bool('rpm-packages', true) }
}
