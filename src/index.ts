/**
 * Entry point of the bundle (action.yml's `runs.main` and `runs.post`): a small file with no dependencies that
 * loads the action (dist/action/index.js). An error nothing else handled is one error annotation with its message;
 * its stack goes to the debug log mapped to the lines of `src/` (and node_modules/), never the minified source.
 *
 * The stack is mapped here, when an error needs it, with Node's own source-map reader (`module.SourceMap`) over the
 * `.map` beside each bundled file. Why not `process.setSourceMapsEnabled(true)` at start: Node then reads and
 * parses the map of every file as it loads, at every start, for an error that almost never comes (measured: ~9 %
 * of a dry run's wall time and 7 MiB).
 */
import { readFileSync } from 'node:fs'
import { SourceMap, type SourceMapping } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'

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

/** A bundled file's source map, read once; null when it has none. */
const maps = new Map<string, SourceMap | null>()
function sourceMapOf(file: string): SourceMap | null {
  if (!maps.has(file)) {
    try {
      maps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]))
    } catch {
      maps.set(file, null)
    }
  }
  return maps.get(file)!
}

/** `file:line:column` of a frame in a bundled file, as the source it was built from (`src/…`, `node_modules/…`). */
function mapFrame(whole: string, location: string, line: string, column: string): string {
  const file = location.startsWith('file:') ? fileURLToPath(location) : location
  const entry = (file.endsWith('.js') ? sourceMapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1) : undefined) as Partial<SourceMapping> | undefined
  if (entry?.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return whole
  const source = path.resolve(path.dirname(file), entry.originalSource)
  return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`
}

/** The stack with each frame of a bundled file mapped to its source. */
function mappedStack(stack: string): string {
  return stack.replace(/((?:file:\/\/)?\/[^\s()]+?):(\d+):(\d+)/g, mapFrame)
}

function reportUnexpected(error: unknown): void {
  command('error', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
  if (error instanceof Error && error.stack) command('debug', mappedStack(error.stack))
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
