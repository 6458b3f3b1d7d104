/**
 * Every repository and tag the build will push, derived and checked before the first request (SPEC §4.3, and
 * atomic-reactor's tag_by_labels): `<name>:<version>-<release>`, `<name>:<version>`, `<name>:latest` and
 * `<name>:<unique tag>` in every registry, and the output image `<user>/<component>:<unique tag>`. A registry
 * would refuse a bad one only at push time, after the whole build. Pure.
 */
import type { Problem } from '../shared/errors.js'
import type { Settings } from '../settings.js'
import { NAME_TOTAL_LENGTH_MAX, TAG_MAX, TAG_RULE, tagProblem } from './image-reference.js'

/** The labels of the final image that name it (read from the Dockerfile by checkout/dockerfile.ts). */
export interface ImageLabels {
  name: string
  /** 1-based line of the name label. */
  nameLine: number
  version: string
  /** `com.redhat.component`, else `BZComponent`, when present. */
  component?: string
  componentLabel?: string
  /** `release`/`Release`, when present. */
  release?: string
  releaseLine?: number
}

/** The shortest release bump_release can give (`1`), when the Dockerfile sets none. */
const SHORTEST_RELEASE = '1'
/** `<target|none>-<5 digits>-<14 digits>`: the unique tag is this much longer than the target. */
const UNIQUE_TAG_SUFFIX = '-00000-00000000000000'

export function pushedNameProblems(settings: Settings, labels: ImageLabels & { versionLine?: number }, component: string, file: string): Problem[] {
  const problems: Problem[] = []
  const at = (line: number | undefined): Pick<Problem, 'file' | 'line'> => ({ file, ...(line ? { line } : {}) })
  const where = (line: number | undefined): string => (line ? `${file}:${line}` : file)
  const versionLine = labels.versionLine ?? labels.nameLine

  const version = labels.version
  const versionWhy = tagProblem(version)
  if (versionWhy) {
    problems.push({
      ...at(versionLine),
      message: `Dockerfile ${where(versionLine)}: label version=${JSON.stringify(version)} cannot be an image tag (${labels.name}:${version}): ${versionWhy}; ${TAG_RULE}`
    })
  } else if (labels.release !== undefined) {
    const release = labels.release.trim()
    const releaseWhy = tagProblem(`${version}-${release}`)
    if (releaseWhy || release === '') {
      problems.push({
        ...at(labels.releaseLine),
        message: `Dockerfile ${where(labels.releaseLine)}: label release=${JSON.stringify(labels.release)} with version=${JSON.stringify(version)} cannot be an image tag (${labels.name}:${version}-${release}): ${releaseWhy ?? 'the release is empty'}; ${TAG_RULE}`
      })
    }
  } else if (tagProblem(`${version}-${SHORTEST_RELEASE}`)) {
    problems.push({
      ...at(versionLine),
      message: `Dockerfile ${where(versionLine)}: label version=${JSON.stringify(version)} is ${version.length} characters: the tag ${labels.name}:${version}-<release> (the release bump_release adds) would be longer than ${TAG_MAX}; ${TAG_RULE}`
    })
  }

  // Repository names with their registry host: at most 255 characters.
  const hosts = new Set(settings.registries.map((r) => r.host))
  if (settings.sourceRegistry) hosts.add(settings.sourceRegistry.host)
  const longestHost = [...hosts].sort((a, b) => b.length - a.length)[0]
  const full = (repository: string): string => (longestHost ? `${longestHost}/${repository}` : repository)
  if (full(labels.name).length > NAME_TOTAL_LENGTH_MAX) {
    problems.push({
      ...at(labels.nameLine),
      message: `Dockerfile ${where(labels.nameLine)}: label name (${labels.name.length} characters) gives the repository ${full(labels.name).slice(0, 60)}… of ${full(labels.name).length} characters; a repository name with its registry host is at most ${NAME_TOTAL_LENGTH_MAX}`
    })
  }
  const output = `${settings.user}/${component}`
  if (full(output).length > NAME_TOTAL_LENGTH_MAX) {
    problems.push({
      input: 'component',
      message: `The output repository ${full(output).slice(0, 60)}… (user/component with the registry host) is ${full(output).length} characters; at most ${NAME_TOTAL_LENGTH_MAX}. Shorten the component (input or label) or the user`
    })
  }
  const uniqueWhy = tagProblem(`${settings.target ?? 'none'}${UNIQUE_TAG_SUFFIX}`)
  if (uniqueWhy) problems.push({ input: 'target', message: `Input target: the unique tag <target>-<5 digits>-<timestamp> cannot be an image tag: ${uniqueWhy}; ${TAG_RULE}` })
  return problems
}
