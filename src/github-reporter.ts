/** The Reporter over `@actions/core`: the only place the library's messages meet the GitHub toolkit. */
import * as core from '@actions/core'
import type { AnnotationProperties, Reporter } from './reporter.js'

export function githubReporter(): Reporter {
  return {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    notice: (message, properties?: AnnotationProperties) => core.notice(message, properties ?? {}),
    warning: (message, properties?: AnnotationProperties) => core.warning(message, properties ?? {}),
    error: (message, properties?: AnnotationProperties) => core.error(message, properties ?? {}),
    startGroup: (name) => core.startGroup(name),
    endGroup: () => core.endGroup(),
    setSecret: (value) => core.setSecret(value),
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value)
  }
}
