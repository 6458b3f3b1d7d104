/**
 * The main step, a thin shell: read the inputs, plan (no network), then either show the plan (dry run) or run
 * the build with the library's `createBuild`, its state set on the commit as it goes. Every failure ends here: each problem becomes one error annotation
 * and the exit code is 1. SIGINT/SIGTERM (the runner cancelling the job) cancel the build before the step ends.
 */
import { once } from 'node:events'
import * as core from './toolkit.js'
import { readSettings } from './inputs.js'
import { planFromCheckout } from '../plan/index.js'
import { dryRunSummary, reportDryRun } from '../report/dry-run.js'
import { githubReporter } from './reporter.js'
import { reportFailure } from './failure.js'

/** Wait while the job log (stdout) is behind, so that a huge build log never piles up in memory. */
async function drainStdout(): Promise<void> {
  if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain')
}

/** The job summary is a report: a runner that cannot take it (no GITHUB_STEP_SUMMARY) gets a warning, not a failed step. */
async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    core.warning(`The job summary could not be written: ${error instanceof Error ? error.message : String(error)}`)
  }
}

export async function run(): Promise<void> {
  const reporter = githubReporter()
  const cancel = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancel.signal.aborted) return
    core.info(`${signal} received`)
    cancel.abort(signal)
  }
  try {
    const settings = readSettings(reporter)
    const plan = await planFromCheckout(settings, reporter)
    if (settings.dryRun) {
      reportDryRun(plan, reporter)
      await writeSummary(dryRunSummary(plan))
      return
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    const { commitStatusFor, connectCluster, createBuild } = await import('../lib.js')
    const client = connectCluster(settings, {
      getIdToken: (audience) => core.getIDToken(audience),
      setSecret: (value) => core.setSecret(value),
      debug: (message) => core.debug(message)
    })
    const status = commitStatusFor(settings, plan.buildConfigName, reporter)
    try {
      const result = await createBuild(plan, client, reporter, { signal: cancel.signal, drain: drainStdout, onStarted: (build) => status?.started(build) }).catch(async (error: unknown) => {
        await status?.lost(error)
        throw error
      })
      await status?.ended(result)
      if (result.summary) await writeSummary(result.summary + (status?.summary(result.facts) ?? ''))
      if (!result.success) {
        if (result.failureReported) process.exitCode = 1
        else core.setFailed(result.failure ?? `Build ${result.buildName} did not complete`)
      }
    } finally {
      await client.close()
    }
  } catch (error) {
    reportFailure(error, reporter)
    await writeSummary(`## ❌ OpenShift build not started\n\n${error instanceof Error ? error.message : String(error)}\n`)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    // After a signal the runner kills the process soon: leave as soon as the build is cancelled.
    if (cancel.signal.aborted) process.exit(1)
  }
}
