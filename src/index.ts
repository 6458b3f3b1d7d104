/**
 * Entry point of the bundle (action.yml's `runs.main` and `runs.post`): a small file with no dependencies that
 * turns source maps on and then loads the action (dist/action/index.js with its source map). action.yml's `runs`
 * cannot pass node flags, and Node only maps files loaded after `setSourceMapsEnabled`: so stack traces name the
 * lines of `src/`. An error nothing else handled is one error annotation with its message; its stack goes to the
 * debug log, never the minified source.
 */
import { setFlagsFromString } from 'node:v8'

process.setSourceMapsEnabled(true)

// A followed build log allocates a few short-lived strings per line, millions of times: V8 would grow its young
// generation to its maximum (about 50 MiB more resident memory for nothing). Kept at its starting size, memory
// stays flat and the log goes faster (measured: peak RSS 264 -> 137 MiB for a million lines).
setFlagsFromString('--semi-space-growth-factor=1')

/** The action's bundle beside this one (built from src/action.ts), relative to dist/index.js. */
const ACTION_BUNDLE = './action/index.js'

/** A workflow command, escaped as @actions/core escapes command data. */
function command(name: 'error' | 'debug', text: string): void {
  process.stdout.write(`::${name}::${text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`)
}

function reportUnexpected(error: unknown): void {
  command('error', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
  if (error instanceof Error && error.stack) command('debug', error.stack)
  process.exitCode = 1
}

process.on('uncaughtException', reportUnexpected)
process.on('unhandledRejection', reportUnexpected)

try {
  const { action } = (await import(/* webpackIgnore: true */ ACTION_BUNDLE)) as { action: () => Promise<void> }
  await action()
} catch (error) {
  reportUnexpected(error)
}
