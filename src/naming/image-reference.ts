/**
 * The Docker image reference grammar (distribution/reference): what a registry accepts as a repository and a
 * tag. Every image the action will push is checked with it before the first request, so that a bad label fails
 * the step at once instead of at push time after the whole build. Pure.
 *
 * Why not @swimlane/docker-reference (2.0.1, the npm port of distribution's grammar): its path component
 * `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*` lets a separator be empty, so a reference that does not match
 * backtracks exponentially: `'a'.repeat(26) + '!'` takes 2.8 s, each further character about 1.8 times as long,
 * and these values come from inputs and Dockerfile labels. It also follows an older grammar (no IPv6 host) and
 * takes digests in uppercase hex, which go-digest refuses. The cases where the two differ are pinned in
 * __tests__/image-reference.test.ts.
 */

/** A path component of a repository: lowercase letters and digits, separated by `.`, `_`, `__` or dashes. */
export const PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`
/** A registry host: DNS labels separated by dots (or an IPv6 address in brackets), an optional port. */
const DOMAIN = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?)*)(?::[0-9]+)?`
const TAG = String.raw`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
/** A digest of an algorithm go-digest registers, its encoding lowercase hex of the algorithm's size. */
const DIGEST = String.raw`(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})`

/** The longest repository name, registry host included (distribution's NameTotalLengthMax). */
export const NAME_TOTAL_LENGTH_MAX = 255
export const TAG_MAX = 128

export const TAG_RULE = 'a tag is 1 to 128 characters: letters, digits, _ . and -, not starting with . or -'
export const PATH_COMPONENT_RULE = 'lowercase letters and digits, with . _ or - between them'
export const REPOSITORY_RULE = `path components of ${PATH_COMPONENT_RULE}, separated by /, at most ${NAME_TOTAL_LENGTH_MAX} characters with the registry host`

const TAG_RE = new RegExp(`^${TAG}$`)
const COMPONENT_RE = new RegExp(`^${PATH_COMPONENT}$`)
const REFERENCE_RE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@${DIGEST})?$`)

/** True when `value` is a tag a registry accepts. */
export function isTag(value: string): boolean {
  return TAG_RE.test(value)
}

/** A path component of a repository name (`user`, `component`, each part of the `name` label). */
export function isPathComponent(value: string): boolean {
  return value.length <= NAME_TOTAL_LENGTH_MAX && COMPONENT_RE.test(value)
}

/** A repository path (without a registry host): components separated by `/`. */
export function isRepositoryPath(value: string): boolean {
  return value.length <= NAME_TOTAL_LENGTH_MAX && value.split('/').every((part) => COMPONENT_RE.test(part))
}

/**
 * A whole reference: `[host[:port]/]path[:tag][@<sha256|sha384|sha512>:<hex>]`. As in distribution, a first part without `.`
 * or `:` that is not `localhost` is a path component, not a host; the name is at most 255 characters.
 */
export function isImageReference(value: string): boolean {
  const match = REFERENCE_RE.exec(value)
  if (!match) return false
  const name = match[1] ? `${match[1]}/${match[2]}` : match[2]
  return name.length <= NAME_TOTAL_LENGTH_MAX
}

/** Why `tag` is not a tag (for a message), or undefined when it is one. */
export function tagProblem(tag: string): string | undefined {
  if (tag.length > TAG_MAX) return `it is ${tag.length} characters long (at most ${TAG_MAX})`
  if (tag === '') return 'it is empty'
  const bad = [...tag].find((c) => !/[A-Za-z0-9_.-]/.test(c))
  if (bad !== undefined) return `it contains ${bad === ' ' ? 'a space' : JSON.stringify(bad)}`
  if (!isTag(tag)) return `it starts with ${JSON.stringify(tag[0])}`
  return undefined
}
