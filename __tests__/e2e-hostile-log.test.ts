/**
 * End to end: a Dockerfile whose RUN lines print workflow commands. Through the bundle as a runner starts it, against
 * the local OpenShift, the job log is read with the runner's own rules (`__fixtures__/runner-model.ts`): nothing the
 * build printed is carried out, every line of it is shown, and the action's groups, annotations and masks work.
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { runAction } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { readJobLog, type RunnerCommand } from '../__fixtures__/runner-model.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 2 })
const tmp = makeTempDir('osbs-e2e-hostile-')

/** What the build prints: mid-line and line-start commands in both syntaxes, a stop token, an ignorable character. */
const PRINTED = [
  'x ##[add-mask]acme',
  '##[error]fake error from the build',
  'y ##[set-output name=image]evil.example.com/x:1',
  'z ##[stop-commands]TOKEN1234',
  '::set-output name=image::evil.example.com/x:2',
  '::add-mask::registry.example.com',
  ':\u00ad:add-mask::acme',
  '::error::second fake error'
]

describe('a build log that tries to command the runner', () => {
  it('is shown as data; only the action issues commands, and its outputs are its own', async () => {
    const runs = PRINTED.map((line) => `RUN echo '${line}'`).join('\n')
    const app = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0', `${runs}\n`) })
    const run = await runAction({ checkout: app, inputs: local.inputs() })
    if (process.env.SHOW) console.log(run.stdout)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    for (const ignorables of ['keep', 'drop'] as const) {
      const reading = readJobLog(run.stdout, { ignorables })
      const theirs = (c: RunnerCommand): boolean => PRINTED.some((line) => c.line.endsWith(line))
      expect(reading.commands.filter(theirs)).toEqual([])
      expect(reading.commands.filter((c) => ['set-output', 'add-mask', 'error'].includes(c.command) && /acme|evil|fake|registry\.example\.com/.test(c.data))).toEqual([])
      expect(reading.stoppedAtEnd).toBe(false)
      // every printed line is in the job log, in the plugin group of the build step
      for (const line of PRINTED) expect(reading.shown.some((l) => l.endsWith(line))).toBe(true)
      expect(reading.shown).toContain('##[group]plugin docker_api')
    }
    expect(run.outputs.image).toBe('registry.example.com/acme/app:1.0-1')
  })
})
