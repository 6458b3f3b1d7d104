/**
 * The parts of `@actions/core` the action uses, taken from the toolkit's own modules: its command writers
 * (`command.js`: `::name props::data`, escaped), its file commands (`file-command.js`: GITHUB_OUTPUT and GITHUB_STATE
 * with a random delimiter), its property formatting (`utils.js`) and its job summary (`summary.js`). Each function
 * below is the toolkit's own (core.js) line for line.
 *
 * Why not `import * as core from '@actions/core'`: core.js imports its OIDC client at the top, which imports
 * `@actions/http-client`, which evaluates all of undici and with it Node's http, https, tls, http2, net, dns and zlib.
 * A dry run, an invalid input and an idle post step send nothing, yet paid for that at every start (measured on the
 * bundle: 189 built-in modules loaded against 78 for `node -e 0`, a dry run 5.4× `node -e 0`). `getIDToken` alone
 * needs the OIDC client: it loads `@actions/core` whole, in a chunk of its own, when a token is asked for.
 * core.js's `exports` map names only the package's root, hence the paths into its `lib/`.
 */
import { EOL } from 'node:os'
import { issue, issueCommand } from '../../node_modules/@actions/core/lib/command.js'
import { issueFileCommand, prepareKeyValueMessage } from '../../node_modules/@actions/core/lib/file-command.js'
import { toCommandProperties, toCommandValue } from '../../node_modules/@actions/core/lib/utils.js'
import type { AnnotationProperties } from '../shared/reporter.js'

export { summary } from '../../node_modules/@actions/core/lib/summary.js'

/** An input as the runner passes it (`INPUT_<NAME>`), trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim()
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] || ''
}

export function saveState(name: string, value: unknown): void {
  if (process.env['GITHUB_STATE']) return issueFileCommand('STATE', prepareKeyValueMessage(name, value))
  issueCommand('save-state', { name }, toCommandValue(value))
}

export function setOutput(name: string, value: unknown): void {
  if (process.env['GITHUB_OUTPUT']) return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value))
  process.stdout.write(EOL)
  issueCommand('set-output', { name }, toCommandValue(value))
}

export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret)
}

export function debug(message: string): void {
  issueCommand('debug', {}, message)
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function error(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message)
}

export function warning(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message)
}

export function notice(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message)
}

export function setFailed(message: string | Error): void {
  process.exitCode = 1
  error(message)
}

export function startGroup(name: string): void {
  issue('group', name)
}

export function endGroup(): void {
  issue('endgroup')
}

/** The job's OIDC token for `audience`, from the toolkit's OIDC client (loaded now, with the HTTP client). */
export async function getIDToken(audience?: string): Promise<string> {
  const core = await import('@actions/core')
  return core.getIDToken(audience)
}
