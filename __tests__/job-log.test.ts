/**
 * The build log is data, never commands: whatever a build writes reaches the job log as it is, and the runner (as
 * `__fixtures__/runner-model.ts` models its parsing) carries out no command of it; the action's own groups,
 * annotations and masks still work around it.
 */
import { describe, expect, it } from '@jest/globals'
import * as core from '@actions/core'
import { BuildEnd } from '../src/flow/builds.js'
import { followLog, LogPrinter } from '../src/flow/index.js'
import type { Cluster } from '../src/cluster/index.js'
import { githubReporter } from '../src/action/reporter.js'
import { JobLog } from '../src/action/job-log.js'
import { readJobLog, runnerLines, type RunnerCommand } from '../__fixtures__/runner-model.js'

/** Everything written to stdout while `fn` runs, as one text. */
async function captureStdout(fn: () => void | Promise<void>): Promise<string> {
  let text = ''
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stdout.write
  try {
    await fn()
  } finally {
    process.stdout.write = write
  }
  return text
}

/** What a hostile build could write: every form the runner reads as a command, and the escapes. */
const HOSTILE = [
  '::add-mask::acme',
  '   ::set-output name=x::y',
  '\t::error title=fake::from the build',
  'x ##[add-mask]acme',
  'step 3: ##[error]fake error',
  '##[set-output name=image]evil.example.com/x',
  'abc\r::set-output name=x::y',
  'abc\r##[add-mask]acme',
  'cleanup ##[stop-commands]TOKEN1234',
  '::stop-commands::TOKEN5678',
  '::TOKEN5678::',
  '::endgroup::',
  '::group::fake group',
  ':\u00ad:add-mask::acme',
  '#\u200b#[add-mask]acme',
  '%0A::error::escaped',
  '::echo::on',
  '::add-path::/tmp/evil',
  '::set-env name=NODE_OPTIONS::--require /tmp/evil.js',
  '##[save-state name=isPost]true',
  "2026-01-01 00:00:01,000 platform:- - atomic_reactor.plugin - DEBUG - running plugin 'tag_and_push'",
  '2026-01-01 00:00:02,000 platform:- - atomic_reactor.plugins.tag_and_push - ERROR - push refused ##[add-mask]acme',
  '2026-01-01 00:00:03,000 platform:- - atomic_reactor.inner - INFO - build has finished ::set-output name=y::z'
]

/** The commands the action itself means, in a job log: fences, its own annotations and groups. */
function foreign(commands: RunnerCommand[], own: { errors: string[]; groups: string[] }): RunnerCommand[] {
  const tokens = new Set<string>()
  return commands.filter((c) => {
    if (c.command === 'stop-commands' && /^[0-9a-f-]{36}$/.test(c.data) && !tokens.has(c.data)) {
      tokens.add(c.data)
      return false
    }
    if (c.command === 'resume') return false
    if (c.command === 'error' && c.properties.title?.startsWith('Build log') && own.errors.includes(c.data)) return false
    if (c.command === 'group' && own.groups.includes(c.data)) return false
    if (c.command === 'endgroup' && c.data === '') return false
    return true
  })
}

/** Follow a log made of `lines` (one stream) with the GitHub reporter, and return the job log. */
async function jobLogOf(lines: string[]): Promise<string> {
  const body = lines.map((l, i) => `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000000000Z ${l}\n`).join('')
  const client = {
    buildLog: async () =>
      (async function* () {
        // every chunk boundary: a line split anywhere must make no difference
        for (let i = 0; i < body.length; i += 7) yield new TextEncoder().encode(body.slice(i, i + 7))
      })(),
    getBuild: async () => {
      throw new Error('no GET is expected')
    }
  } as unknown as Cluster
  return captureStdout(async () => {
    const reporter = githubReporter()
    core.info('before the log')
    await followLog(client, 'app-1', reporter, { build: new BuildEnd({ metadata: { name: 'app-1' }, status: { phase: 'Complete' } }) })
    core.setSecret('a-token-fetched-later')
    core.info('after the log')
  })
}

describe('the build log in the job log', () => {
  it.each(['keep', 'drop'] as const)('executes no command of the build (ignorable characters: %s)', async (ignorables) => {
    const log = await jobLogOf(HOSTILE)
    const reading = readJobLog(log, { ignorables })
    expect(foreign(reading.commands, { errors: ['push refused ##[add-mask]acme'], groups: [] })).toEqual([
      // written by the action after the log: the mask must still work
      expect.objectContaining({ command: 'add-mask', data: 'a-token-fetched-later' })
    ])
    expect(reading.stoppedAtEnd).toBe(false)
  })

  it('shows every byte the build wrote, as the runner splits lines', async () => {
    const reading = readJobLog(await jobLogOf(HOSTILE))
    const shown = reading.shown.filter((l) => !/^::(stop-commands::)?[0-9a-f-]{36}(::)?$/.test(l) && !l.startsWith('##[group]') && !l.startsWith('##[endgroup]'))
    expect(shown).toEqual(['before the log', ...HOSTILE.flatMap((l) => runnerLines(l)), 'after the log'])
  })

  it("keeps the action's groups and annotations working inside the fence", async () => {
    const reading = readJobLog(await jobLogOf(HOSTILE))
    expect(reading.shown).toContain('##[group]plugin tag_and_push')
    expect(reading.shown.filter((l) => l === '##[endgroup]')).toHaveLength(1)
    expect(reading.commands.filter((c) => c.command === 'error')).toEqual([expect.objectContaining({ data: 'push refused ##[add-mask]acme', properties: { title: 'Build log: plugin tag_and_push' } })])
  })

  it('a fresh token for every fence, never written before it is used', async () => {
    const reading = readJobLog(await jobLogOf(HOSTILE))
    const stops = reading.commands.filter((c) => c.command === 'stop-commands').map((c) => c.data)
    expect(stops.length).toBeGreaterThanOrEqual(2) // the error annotation lowered the fence once
    expect(new Set(stops).size).toBe(stops.length)
  })
})

describe('JobLog', () => {
  const token = (): (() => string) => {
    let n = 0
    return () => `token-${++n}-0000000000`
  }

  it('raises the fence at the first data line, lowers it before any other writer, and batches in one write', async () => {
    const writes: string[] = []
    const stream = { write: ((chunk: string) => (writes.push(chunk), true)) as unknown as NodeJS.WriteStream['write'] }
    const log = new JobLog(stream, { newToken: token(), eol: '\n' })
    log.batch(() => {
      log.data('::add-mask::x')
      expect(log.startGroup('plugin a')).toBe(true)
      stream.write('::error::own\n')
      expect(log.startGroup('outside')).toBe(false)
      log.data('two')
      expect(log.endGroup()).toBe(true)
    })
    log.resume()
    expect(writes).toEqual([
      '::stop-commands::token-1-0000000000\n::add-mask::x\n##[group]plugin a\n::token-1-0000000000::\n::error::own\n::stop-commands::token-2-0000000000\ntwo\n##[endgroup]\n',
      '::token-2-0000000000::\n'
    ])
  })

  it("gives the stream's write back once lowered, and passes a writer's callback on", async () => {
    const writes: string[] = []
    const own = ((chunk: string) => (writes.push(chunk), true)) as unknown as NodeJS.WriteStream['write']
    const stream = { write: own }
    const log = new JobLog(stream, { newToken: token(), eol: '\n' })
    log.data('a')
    expect(stream.write).not.toBe(own)
    await new Promise<void>((resolve) => stream.write('b\n', () => resolve()))
    expect(stream.write).toBe(own)
    expect(writes).toEqual(['::stop-commands::token-1-0000000000\na\n', '::token-1-0000000000::\n', 'b\n'])
  })

  it('LogPrinter hands build lines to the reporter as log lines, not as info', () => {
    const seen: string[] = []
    const printer = new LogPrinter({ logLine: (t: string) => seen.push(`log:${t}`), info: (t: string) => seen.push(`info:${t}`) } as never)
    printer.print('::add-mask::x')
    expect(seen).toEqual(['log:::add-mask::x'])
  })
})
