/**
 * The end of a run cut short (timeout-minutes, SIGINT/SIGTERM) and of a job cancelled under a running build: why the
 * run was aborted, and the cancellation of a build that is confirmed by its terminal phase.
 */
import { isNotFound, type Cluster, type KubeObject } from '../cluster/index.js'
import type { Reporter } from '../shared/reporter.js'
import { isTerminal, phaseOf, requestCancel, waitForTerminal } from './builds.js'

/** The reason a run's own signal is aborted with: timeout-minutes passed, or the caller's signal (with its why). */
export class RunAborted extends Error {
  constructor(readonly why: string) {
    super(why)
    this.name = 'RunAborted'
  }
}

/** Why the run was aborted, in words for the failure message. */
export function abortReason(signal: AbortSignal): string {
  const reason = signal.reason
  if (typeof reason === 'string') return reason
  if (reason instanceof RunAborted) return reason.why
  if (reason instanceof Error && reason.message && reason.name !== 'AbortError') return reason.message
  return 'the run was cancelled'
}

/**
 * Cancel a build and wait (at most `graceMs`) for it to be terminal. Used on timeout and signals, and by the post
 * step. Returns the last state seen.
 */
export async function cancelAndConfirm(client: Cluster, name: string, reporter: Reporter, why: string, graceMs = 5000): Promise<KubeObject | undefined> {
  const deadline = AbortSignal.timeout(graceMs)
  try {
    const current = await client.getBuild(name, deadline)
    if (isTerminal(current)) return current
    reporter.warning(`${why}: cancelling build ${name}`)
    const patched = await requestCancel(client, name, deadline)
    if (!patched) return undefined
    const ended = await waitForTerminal(client, name, { signal: deadline, from: patched, inactivityMs: graceMs })
    reporter.info(`Build ${name} is ${phaseOf(ended)}`)
    return ended
  } catch (error) {
    if (deadline.aborted) {
      reporter.warning(`Cancellation of build ${name} requested; it had not ended within ${Math.round(graceMs / 1000)} s`)
      return client.getBuild(name, AbortSignal.timeout(1000)).catch(() => undefined)
    }
    reporter.warning(`Could not cancel build ${name}: ${(error as Error).message}`)
    return undefined
  }
}

/** The post step: cancel a build the main step left running (job cancelled, runner killed the process). */
export async function cancelLeftoverBuild(client: Cluster, name: string, reporter: Reporter): Promise<void> {
  let build: KubeObject
  try {
    build = await client.getBuild(name, AbortSignal.timeout(10_000))
  } catch (error) {
    if (isNotFound(error)) return
    reporter.warning(`Could not read build ${name}: ${(error as Error).message}`)
    return
  }
  if (isTerminal(build)) {
    reporter.info(`Build ${name} already ended: ${phaseOf(build)}`)
    return
  }
  await cancelAndConfirm(client, name, reporter, 'The job was cancelled', 8000)
}
