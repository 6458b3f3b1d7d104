/** The inputs that steer the run itself once the build is written: how to meet a running build, following, waiting, the time limit. */
import type { OnRunningBuild } from '../settings.js'
import { DEFAULT_TIMEOUT_MINUTES } from './defaults.js'
import type { InputReader } from './reader.js'

/** setTimeout's limit, in minutes. */
const MAX_TIMEOUT_MINUTES = 35791

/** on-running-build, follow-logs, wait, timeout-minutes. */
export function parseFlow(r: InputReader): { onRunningBuild: OnRunningBuild; followLogs: boolean; wait: boolean; timeoutMinutes: number } {
  const onRunningBuild = (r.get('on-running-build') || 'wait') as OnRunningBuild
  if (!['wait', 'fail', 'cancel'].includes(onRunningBuild)) r.invalid('on-running-build', onRunningBuild, 'Accepted: wait, fail or cancel')
  const followLogs = r.bool('follow-logs', true)
  const wait = r.bool('wait', true)
  const timeoutInput = r.get('timeout-minutes')
  let timeoutMinutes = DEFAULT_TIMEOUT_MINUTES
  if (timeoutInput !== '') {
    if (/^[0-9]+$/.test(timeoutInput) && Number(timeoutInput) >= 1 && Number(timeoutInput) <= MAX_TIMEOUT_MINUTES) timeoutMinutes = Number(timeoutInput)
    else r.invalid('timeout-minutes', timeoutInput, `Accepted: a whole number of minutes from 1 to ${MAX_TIMEOUT_MINUTES}`)
  }
  return { onRunningBuild, followLogs, wait, timeoutMinutes }
}
