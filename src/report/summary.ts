/**
 * The job summary (SPEC §6.6) as Markdown: build, status, duration, commit, a table of images (kind, pull spec,
 * digest), autorebuild on/off and why, and on failure the failing plugin and its message.
 */
import type { ImageStreamUpdate } from './types.js'
import { pluginErrorMessages, type BuildFacts } from './outputs.js'

export interface SummaryInput {
  facts: BuildFacts
  autorebuild: { enabled: boolean; reason: string }
  baseImageStreamTag?: string | null
  /** The build was started by OpenShift (image change) and adopted. */
  adopted?: boolean
  /** Why the step failed, when it did (timeout, cancel, …). */
  failure?: string
  /** The run started the build and did not wait for it (`wait: false`). */
  notWaited?: boolean
  /** The built image's ImageStream, as this run left it. */
  imageStream?: ImageStreamUpdate
}

/** One line on the built image's ImageStream: what it follows, and whether the import went through. */
export function imageStreamCell(update: ImageStreamUpdate): string {
  const tags = update.tags.map((t) => t.tag).join(', ')
  const what = `${code(update.name)} ${update.created ? 'created' : 'updated'}: ${tags} from ${code(update.repository)}`
  return cell(update.problem ? `⚠️ ${update.problem.split('\n')[0]}` : `${what}, imported`)
}

/** What a Build posted directly is, in the summary. */
const KIND_ROW = {
  scratch: 'scratch build: no BuildConfig, no trigger, no ImageStream; only the unique tag is pushed',
  isolated: 'isolated build: no BuildConfig, no trigger, no ImageStream; only `<version>-<release>` and the unique tag are pushed'
} as const

const KIND_TITLE = { v1: 'v1 registry', v2: 'v2 registry', pulp: 'Pulp' } as const

/** Markdown table cells: no pipes or newlines. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

function code(text: string): string {
  return text ? '`' + text.replace(/`/g, "'") + '`' : ''
}

/** The Koji build koji_promote made: its NVR, linked to Koji's web UI when koji-web-url is set, and its id. */
function kojiCell(facts: BuildFacts): string | undefined {
  const { buildId, nvr, buildUrl } = facts.koji
  if (!buildId) return undefined
  const name = nvr ? code(nvr) : `build ${buildId}`
  return `${buildUrl ? `[${name}](${buildUrl})` : name}${nvr ? ` (build ${buildId})` : ''}`
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return ''
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = Math.round(seconds % 60)
  return h ? `${h}h ${m}m ${s}s` : m ? `${m}m ${s}s` : `${s}s`
}

export function renderSummary(input: SummaryInput): string {
  const { facts } = input
  const ok = (facts.phase === 'Complete' || input.notWaited === true) && !input.failure
  const lines: string[] = []
  const mark = input.notWaited && !input.failure ? '⏳' : ok ? '✅' : '❌'
  lines.push(`## ${mark} OpenShift build ${facts.buildName || facts.buildConfig}: ${input.notWaited ? `started (${facts.phase}); not waited for` : facts.phase}`)
  lines.push('')
  lines.push('| | |')
  lines.push('|---|---|')
  lines.push(`| Build | [${cell(facts.buildName)}](${facts.buildUrl}) |`)
  lines.push(facts.kind === 'branch' ? `| BuildConfig | ${cell(facts.buildConfig)} |` : `| Kind | ${KIND_ROW[facts.kind]} |`)
  lines.push(`| Status | ${cell(facts.phase)}${facts.reason && !ok ? ` (${cell(facts.reason)})` : ''} |`)
  const duration = formatDuration(facts.durationSeconds)
  if (duration) lines.push(`| Duration | ${duration} |`)
  if (facts.commitId) lines.push(`| Commit | ${code(facts.commitId)} |`)
  if (facts.baseImage) lines.push(`| Base image | ${code(facts.baseImage)} |`)
  const koji = kojiCell(facts)
  if (koji) lines.push(`| Koji build | ${cell(koji)} |`)
  if (facts.koji.rpmCount !== undefined) lines.push(`| RPMs | ${facts.koji.rpmCount} |`)
  lines.push(`| Autorebuild | ${input.autorebuild.enabled ? 'on' : 'off'}: ${cell(input.autorebuild.reason)} |`)
  if (input.baseImageStreamTag) lines.push(`| Base ImageStreamTag | ${code(input.baseImageStreamTag)} |`)
  if (input.imageStream) lines.push(`| ImageStream | ${imageStreamCell(input.imageStream)} |`)
  if (input.adopted) lines.push('| Started by | OpenShift (image change trigger), adopted by this run |')
  if (facts.wasAutorebuild) lines.push('| Kind | autorebuild |')
  lines.push('')

  if (facts.images.length) {
    lines.push('### Images')
    lines.push('')
    lines.push('| Kind | Pull spec | Digest |')
    lines.push('|---|---|---|')
    for (const image of facts.images) lines.push(`| ${KIND_TITLE[image.kind]} | ${code(image.pullSpec)} | ${image.digest ? code(image.digest) : ''} |`)
    lines.push('')
  } else if (ok && facts.phase === 'Complete') {
    lines.push('No image references were recorded on the build.')
    lines.push('')
  }

  const errors = pluginErrorMessages(facts.pluginErrors)
  if (!ok) {
    lines.push('### Failure')
    lines.push('')
    if (input.failure) lines.push(`- ${cell(input.failure)}`)
    for (const error of errors) lines.push(`- ${cell(error)}`)
    if (!input.failure && !errors.length && facts.message) lines.push(`- ${cell(facts.message)}`)
    lines.push('')
  }
  return lines.join('\n')
}
