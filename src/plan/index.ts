/**
 * From Settings and the checkout's files to a BuildPlan (SPEC §3–§5): `planFromCheckout` reads the files and reports
 * what the plan says before anything is written; `planBuild` (plan.ts) is the pure part.
 */
import { annotationOf, ProblemsError } from '../shared/errors.js'
import type { Reporter } from '../shared/reporter.js'
import type { Settings } from '../settings.js'
import { decodeUtf8, readCheckoutFile } from '../checkout/workspace-files.js'
import { planBuild, type BuildPlan, type PlanOptions } from './plan.js'

/**
 * Reads a file of the checkout as strict UTF-8; null when it does not exist. Its real path must be inside the
 * checkout (see workspace-files.ts). `input` names the input that gave its path, `what` the file in messages.
 * `keepByteOrderMark`: the repo config keeps one, as atomic-reactor's Python reads it (repo-config.ts).
 */
function readCheckoutText(workspace: string, file: string, input: string, what: string, keepByteOrderMark = false): string | null {
  const read = readCheckoutFile(workspace, file, input)
  if (read.kind === 'missing') return null
  if (read.kind === 'refused') throw new ProblemsError([{ input, message: read.message }])
  const decoded = decodeUtf8(read.bytes, { keepByteOrderMark })
  if ('text' in decoded) return decoded.text
  throw new ProblemsError([
    {
      input,
      file,
      line: decoded.line,
      message: `${what} ${file}:${decoded.line}: byte ${decoded.column} of the line is not UTF-8; save the file as UTF-8 (labels and tags are read as UTF-8 text)`
    }
  ])
}

/** Reads the Dockerfile and the repo config from the checkout, plans, and reports notices and warnings. */
export async function planFromCheckout(settings: Settings, reporter: Reporter, options: PlanOptions = {}): Promise<BuildPlan> {
  const dockerfile = readCheckoutText(settings.workspace, settings.dockerfile, 'dockerfile', 'Dockerfile')
  const repoConfig = readCheckoutText(settings.workspace, settings.repoConfigFile, 'repo-config-file', 'Repository config', true)
  const plan = planBuild(settings, { dockerfile, repoConfig }, options)
  for (const notice of plan.notices) reporter.notice(notice)
  for (const warning of plan.warnings) reporter.warning(warning.message, annotationOf(warning))
  return plan
}
