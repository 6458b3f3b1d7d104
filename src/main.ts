/**
 * The main step, a thin shell: read the inputs, plan (no network), then either show the plan (dry run) or run
 * the build. Every failure ends here: each problem becomes one error annotation and the exit code is 1.
 */
import * as core from '@actions/core'
import { readSettings } from './inputs.js'
import { planFromCheckout } from './planning.js'
import { dryRunSummary, reportDryRun } from './dry-run.js'
import { githubReporter } from './github-reporter.js'
import { reportFailure } from './failure.js'

export async function run(): Promise<void> {
  const reporter = githubReporter()
  try {
    const settings = readSettings(reporter)
    const plan = await planFromCheckout(settings, reporter)
    if (settings.dryRun) {
      reportDryRun(plan, reporter)
      await core.summary.addRaw(dryRunSummary(plan)).write()
      return
    }
    // The build flow (SPEC §6) takes the plan from here.
    throw new Error('only dry-run is available in this version: set dry-run: true to validate and render the BuildConfig')
  } catch (error) {
    reportFailure(error, reporter)
  }
}
