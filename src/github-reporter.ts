/** The Reporter over `@actions/core`: the only place the library's messages meet the GitHub toolkit. */
import * as core from '@actions/core'
import type { AnnotationProperties, Reporter } from './reporter.js'

/**
 * Runs `report`, which reports through the toolkit, and writes what it printed to the job log in one write. The
 * toolkit formats every line, group and annotation (escaping included) and writes each with a `write(2)` of its own;
 * for a build log of a million lines that is most of the CPU. `report` is synchronous, so nothing else can write
 * while stdout's write is borrowed.
 */
export function inOneWrite(report: () => void): void {
  const stdout = process.stdout
  const write = stdout.write
  let text = ''
  stdout.write = ((chunk: string | Uint8Array): boolean => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof stdout.write
  try {
    report()
  } finally {
    stdout.write = write
    if (text) stdout.write(text)
  }
}

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
    saveState: (name, value) => core.saveState(name, value),
    batch: inOneWrite
  }
}
