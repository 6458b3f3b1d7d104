/**
 * The reads before the BuildConfig is written (SPEC §5.3, §5.4): the permission Custom builds need, each secret the
 * BuildConfig mounts, and the base image's ImageStream. Each check is a read (sent at once, so that a run sends them together) and a verdict reported
 * in a fixed order, whatever order the answers come in.
 */
import { ClusterError, customStrategyDenied, isNotFound, type Cluster } from '../cluster/index.js'
import type { BuildPlan } from '../plan/plan.js'
import type { Reporter } from '../shared/reporter.js'

/** What the Custom-strategy check found: the one message of an account that may not create Custom builds. */
export type CustomStrategyFound = { denied?: string }

/**
 * Whether the account may create builds of the Custom strategy, asked before anything is written: OpenShift's
 * admission plugin BuildByStrategy refuses every write of a Custom BuildConfig or Build (403 `build strategy Custom
 * is not allowed`) to an account without the cluster role `system:build-strategy-custom`. A server that does not
 * answer the question (the review forbidden or not served) does not block the run: the writes' own 403 says it.
 */
export async function readCustomStrategy(plan: BuildPlan, client: Cluster, signal?: AbortSignal): Promise<CustomStrategyFound> {
  const strategy = (plan.build ?? plan.buildConfig).spec.strategy as { type?: string } | undefined
  if (strategy?.type !== 'Custom') return {}
  if ((await client.mayCreateCustomBuilds(signal)) !== false) return {}
  return { denied: customStrategyDenied(await client.accountName(signal), client.namespace) }
}

export function reportCustomStrategy(found: CustomStrategyFound): void {
  if (found.denied) throw new Error(found.denied)
}

/** What the secret reads found: missing ones (errors) and ones the account may not read (warnings). */
export interface SecretsFound {
  missing: string[]
  warnings: string[]
}

/** GET every secret the BuildConfig mounts, all at once. Throws for a failure that is neither 404 nor 403. */
export async function readSecrets(plan: BuildPlan, client: Cluster, signal?: AbortSignal): Promise<SecretsFound> {
  const answers = await Promise.allSettled(plan.secrets.map((secret) => client.getSecret(secret.name, signal)))
  const found: SecretsFound = { missing: [], warnings: [] }
  answers.forEach((answer, i) => {
    if (answer.status === 'fulfilled') return
    const secret = plan.secrets[i]!
    const error = answer.reason
    if (isNotFound(error)) found.missing.push(`Secret "${secret.name}" (input ${secret.input}) does not exist in namespace ${client.namespace}: create it there, or correct input ${secret.input}`)
    else if (error instanceof ClusterError && error.status === 403) found.warnings.push(`Cannot check that secret "${secret.name}" (input ${secret.input}) exists: ${error.message}`)
    else throw error
  })
  return found
}

/** Report what readSecrets found: a warning per forbidden check, an error listing every missing secret. */
export function reportSecrets(found: SecretsFound, reporter: Reporter): void {
  for (const warning of found.warnings) reporter.warning(warning)
  if (found.missing.length) throw new Error(found.missing.join('\n'))
}

/** Check each secret the BuildConfig mounts (SPEC §5.3): 404 is an error naming the input, 403 a warning. */
export async function checkSecrets(plan: BuildPlan, client: Cluster, reporter: Reporter, signal?: AbortSignal): Promise<void> {
  reportSecrets(await readSecrets(plan, client, signal), reporter)
}

/** What the base ImageStream read says: a notice (it does not exist yet), a debug line (could not look), or nothing. */
export type BaseStreamFound = { notice?: string; debug?: string }

export async function readBaseImageStream(plan: BuildPlan, client: Cluster, signal?: AbortSignal): Promise<BaseStreamFound> {
  const tag = plan.baseImageStreamTag
  if (!plan.autorebuild.enabled || !tag) return {}
  const stream = tag.slice(0, tag.indexOf(':'))
  try {
    await client.getImageStream(stream, signal)
    return {}
  } catch (error) {
    if (signal?.aborted) throw error
    if (isNotFound(error))
      return {
        notice:
          `ImageStream ${stream} (base image ${plan.baseImage}) does not exist yet in namespace ${client.namespace}: ` +
          `the ImageChange trigger on ${tag} is written, and autorebuilds start once the ImageStream exists`
      }
    return { debug: `Cannot check that ImageStream ${stream} exists: ${(error as Error).message}` }
  }
}

export function reportBaseImageStream(found: BaseStreamFound, reporter: Reporter): void {
  if (found.notice) reporter.notice(found.notice)
  if (found.debug) reporter.debug(found.debug)
}

/**
 * SPEC §5.4: the ImageChange trigger is written even when BL's ImageStream does not exist yet; a notice says that
 * autorebuilds start once it exists. Only informative: a failure to look is a debug line.
 */
export async function checkBaseImageStream(plan: BuildPlan, client: Cluster, reporter: Reporter, signal?: AbortSignal): Promise<void> {
  reportBaseImageStream(await readBaseImageStream(plan, client, signal), reporter)
}
