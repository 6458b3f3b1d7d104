/**
 * The main step: read the inputs, plan, and either show the plan (dry run) or run the build.
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
    throw new Error('only dry-run is available in this version: set dry-run: true to validate and render the BuildConfig')
  } catch (error) {
    reportFailure(error, reporter)
  }
}
