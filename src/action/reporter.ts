/** The Reporter over `@actions/core`: the only place the library's messages meet the GitHub toolkit. */
import * as core from './toolkit.js'
import { JobLog } from './job-log.js'
import type { AnnotationProperties, Reporter } from '../shared/reporter.js'

/**
 * The toolkit formats every line, group and annotation (escaping included); the job log (JobLog) writes what a
 * batch printed in one write, and keeps the build's own lines from commanding the runner. When the process ends
 * with the build's lines fenced, commands are resumed, so that the steps after this one are read as usual.
 */
export function githubReporter(log = new JobLog()): Reporter {
  process.once('exit', () => log.resume())
  return {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    logLine: (text) => log.data(text),
    notice: (message, properties?: AnnotationProperties) => core.notice(message, properties ?? {}),
    warning: (message, properties?: AnnotationProperties) => core.warning(message, properties ?? {}),
    error: (message, properties?: AnnotationProperties) => core.error(message, properties ?? {}),
    startGroup: (name) => {
      if (!log.startGroup(name)) core.startGroup(name)
    },
    endGroup: () => {
      if (!log.endGroup()) core.endGroup()
    },
    setSecret: (value) => core.setSecret(value),
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value),
    batch: (report) => log.batch(report)
  }
}
