/**
 * Everything the library says to the person running it goes through a Reporter. `main.ts` implements it with
 * `@actions/core`; tests and other callers implement it as they like. The library never imports the toolkit.
 */

export interface AnnotationProperties {
  title?: string
  file?: string
  startLine?: number
  endLine?: number
  startColumn?: number
}

export interface Reporter {
  debug(message: string): void
  info(message: string): void
  /**
   * A line of the build's own log: untrusted data, written by whatever the Dockerfile runs. It reaches the person
   * as it is, and nothing in it may act as a command of the job log (the GitHub reporter fences it).
   */
  logLine(text: string): void
  notice(message: string, properties?: AnnotationProperties): void
  warning(message: string, properties?: AnnotationProperties): void
  error(message: string, properties?: AnnotationProperties): void
  startGroup(name: string): void
  endGroup(): void
  /** Never print this value again (tokens). */
  setSecret(value: string): void
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  /**
   * Report everything `report` reports (synchronously) as one piece of output: the build log hands over each chunk
   * of lines this way, so that the job log gets one write per chunk instead of one per line. Optional: without it,
   * each message is reported as it comes, in the same order.
   */
  batch?(report: () => void): void
}
