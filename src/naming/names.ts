/**
 * Names derived from the repository, the branch and the base image (SPEC §4).
 * Pure functions: no I/O, no clock, no randomness (the unique tag takes them as arguments).
 */
import { createHash } from 'node:crypto'
import { isPathComponent } from './image-reference.js'
import { trimEndChar, trimWhere } from '../shared/linear-text.js'

/** The BuildConfig name is at most this long before the hash (osbs-client's limit 53 = 46 + 2 separators + hash). */
const NAME_LIMIT = 53
const HASH_SIZE = 5
const SEPARATOR = '-'

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** True when `value` is a DNS-1123 label (what Kubernetes requires of namespace and many object names). */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value)
}

/** True when `value` is a DNS-1123 subdomain (secret names). */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && value.split('.').every((part) => part.length > 0 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(part))
}

/**
 * The "humanish" repository name of a git URI: its last path part without `.git` and without trailing slashes
 * (`http://git.example.com/git/repo.git/` → `repo`, `git@github.com:o/r.git` → `r`).
 */
export function repoNameFromGitUri(uri: string): string {
  let path = trimEndChar(uri.trim(), '/')
  path = path.replace(/\/\.git$/, '').replace(/\.git$/, '')
  path = trimEndChar(path, '/')
  const slash = path.lastIndexOf('/')
  let name = slash >= 0 ? path.slice(slash + 1) : path
  // scp-like syntax without a slash: host:repo
  const colon = name.lastIndexOf(':')
  if (slash < 0 && colon >= 0) name = name.slice(colon + 1)
  return name
}

function sanitizeNamePart(value: string): string {
  return value.toLowerCase().replace(/[^-a-z0-9]/g, '')
}

/**
 * SPEC §4.1: osbs-client's `make_name_from_git`, with upper-case letters lowercased instead of deleted.
 * `hash` = first 5 hex chars of sha256(repo + branch) on the raw strings; characters are taken alternately from the
 * sanitised repo and branch until 46 are taken; each part is stripped of `-`; non-empty parts and the hash are
 * joined with `-`.
 */
export function buildConfigNameFromGit(gitUri: string, branch: string, limit = NAME_LIMIT): string {
  const repo = repoNameFromGitUri(gitUri)
  const hash = createHash('sha256')
    .update(repo + branch, 'utf8')
    .digest('hex')
    .slice(0, HASH_SIZE)
  const repoChars = sanitizeNamePart(repo)
  const branchChars = sanitizeNamePart(branch)
  let size = 2 * SEPARATOR.length + HASH_SIZE
  let repoPart = ''
  let branchPart = ''
  for (let i = 0; size < limit && (i < repoChars.length || i < branchChars.length); i++) {
    if (i < repoChars.length) {
      repoPart += repoChars[i]
      size++
      if (size >= limit) break
    }
    if (i < branchChars.length) {
      branchPart += branchChars[i]
      size++
    }
  }
  return [repoPart, branchPart]
    .map((part) => trimWhere(part, (c) => c === '-'))
    .filter((part) => part.length > 0)
    .concat(hash)
    .join(SEPARATOR)
}

/** A Build's name is at most this long (osbs-client's wrap_name_from_git: what OpenShift allows a build's pod). */
const BUILD_NAME_LIMIT = 64

/** osbs-client's render_name for a scratch build: `scratch-<salt>-<timestamp>` of the unique tag `<target>-<salt>-<timestamp>`. */
export function scratchBuildName(uniqueTag: string): string {
  const [, , salt, timestamp] = /^(.*)-([^-]+)-([^-]+)$/.exec(uniqueTag) ?? ['', '', '', uniqueTag]
  return `scratch-${salt}-${timestamp}`
}

/**
 * osbs-client's render_name for an isolated build: `wrap_name_from_git('isolated', timestamp, uri, branch)`, that
 * is `isolated-<make_name_from_git within what is left of 64>-<timestamp>`.
 */
export function isolatedBuildName(gitUri: string, branch: string, uniqueTag: string): string {
  const timestamp = uniqueTag.slice(uniqueTag.lastIndexOf('-') + 1)
  const prefix = 'isolated'
  return [prefix, buildConfigNameFromGit(gitUri, branch, BUILD_NAME_LIMIT - prefix.length - timestamp.length - 2), timestamp].join('-')
}

/** Whether a base image reference is pinned by digest (and so cannot be followed by an ImageChange trigger). */
export function isDigestReference(image: string): boolean {
  return image.includes('@')
}

/**
 * SPEC §4.2: the ImageStreamTag (`name:tag`) that follows a base image, or null for a digest reference.
 * `fedora23/python` → `fedora23-python:latest`, `docker.io/fedora23/python:t` → `fedora23-python:t`,
 * `registry:5000/fedora` → `fedora:latest`.
 */
export function imageStreamTagFromImage(image: string): string | null {
  if (isDigestReference(image)) return null
  let parts = image.split('/')
  if (parts.length === 2) {
    const first = parts[0]
    if (first.includes('.') || first.includes(':') || first === 'localhost') parts = parts.slice(1)
  } else if (parts.length >= 3) {
    parts = parts.slice(1)
  }
  const joined = parts.join('-')
  return joined.includes(':') ? joined : `${joined}:latest`
}

/** SPEC §4.3: the ImageStream of the built image: the `name` label with `/` → `-`. */
export function imageStreamFromNameLabel(nameLabel: string): string {
  return nameLabel.replace(/\//g, '-')
}

/** SPEC §4.3: `<target|none>-<5 random digits>-<UTC YYYYmmddHHMMSS>`; `random` is in [0, 1). */
export function uniqueTag(target: string | undefined, now: Date, random: number): string {
  const digits = 10000 + Math.floor(random * 90000)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  const stamp = pad(now.getUTCFullYear(), 4) + pad(now.getUTCMonth() + 1) + pad(now.getUTCDate()) + pad(now.getUTCHours()) + pad(now.getUTCMinutes()) + pad(now.getUTCSeconds())
  return `${target || 'none'}-${digits}-${stamp}`
}

/**
 * A Kubernetes label value made from any string (SPEC §4.3): invalid characters become `-`, the result is cut to
 * 63 characters and must begin and end with an alphanumeric character.
 */
export function toLabelValue(value: string): string {
  return value
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '')
}

/** A path component of a docker repository name (`user`, `component`): lowercase, `.`, `_`, `-` separators. */
export function isImagePathComponent(value: string): boolean {
  return isPathComponent(value)
}
