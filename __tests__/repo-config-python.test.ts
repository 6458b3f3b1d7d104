/**
 * `.osbs-repo-config` against Python's own reading: every file of the corpus goes through Debian's
 * /usr/bin/python3 as atomic-reactor 1.6.26.3's stop_autorebuild_if_disabled reads it (ConfigParser().read,
 * getboolean('autorebuild', 'enabled'); `__fixtures__/configparser-oracle.py`), and the action's reading must
 * never disagree: a file Python refuses is refused at Python's line; a boolean Python reads is the action's
 * (or the action refuses, where the corpus says why it is stricter); a value Python cannot read is refused.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseRepoConfig } from '../src/checkout/repo-config.js'
import { REPO_CONFIG_CASES, type RepoConfigCase } from '../__fixtures__/repo-config-corpus.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const PYTHON = '/usr/bin/python3'
const ORACLE = path.resolve(import.meta.dirname, '..', '__fixtures__', 'configparser-oracle.py')
const FILE = '.osbs-repo-config'

interface Answer {
  read: { type: string; lines: number[] } | null
  get: { value: boolean } | { error: string } | null
}

/** What the action makes of a case: its outcome and the lines of its problems. */
function actionReading(c: RepoConfigCase): { outcome: RepoConfigCase['expect']; lines: number[]; line?: number } {
  const { config, problems } = parseRepoConfig(c.text, FILE)
  if (problems.length > 0) return { outcome: 'refused', lines: problems.map((p) => p.line!) }
  if (config.line === undefined) return { outcome: 'default', lines: [] }
  return { outcome: config.autorebuild ? 'enabled' : 'disabled', lines: [], line: config.line }
}

describe('the corpus, as the action reads it', () => {
  it.each(REPO_CONFIG_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const reading = actionReading(c)
    expect(reading.outcome).toBe(c.expect)
    if (c.expect === 'refused') expect(reading.lines).toContain(c.line)
    if (c.expect === 'enabled' || c.expect === 'disabled') expect(reading.line).toBe(c.line)
  })
})

const python = existsSync(PYTHON)
if (!python && process.env.CI !== 'true') console.warn(`skipped: the corpus against Python's ConfigParser (needs ${PYTHON}; .ci/packages installs python3)`)
const describePython = python || process.env.CI === 'true' ? describe : describe.skip

describePython(`the corpus against Python's ConfigParser (${PYTHON})`, () => {
  let answers: Record<string, Answer> = {}
  beforeAll(() => {
    const folder = makeTempDir('osbs-configparser-')
    const input = JSON.stringify(REPO_CONFIG_CASES.map((c) => ({ name: c.name, text: c.text })))
    answers = JSON.parse(execFileSync(PYTHON, [ORACLE, folder], { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', PYTHONUTF8: '1' } })) as Record<string, Answer>
  })

  it.each(REPO_CONFIG_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const answer = answers[c.name]
    const reading = actionReading(c)
    if (answer.read) {
      // Python refuses the file (the reactor: "autorebuild is disabled"): refused, at each line Python names.
      expect(reading.outcome).toBe('refused')
      for (const line of answer.read.lines) expect(reading.lines).toContain(line)
    } else if (answer.get && 'value' in answer.get) {
      if (c.stricter) expect(reading.outcome).toBe('refused')
      else expect(reading.outcome).toBe(answer.get.value ? 'enabled' : 'disabled')
    } else if (answer.get && ['NoSectionError', 'NoOptionError'].includes(answer.get.error)) {
      // Nothing to read: the action's default, for which it renders no stop_autorebuild_if_disabled, or refused.
      expect(['default', 'refused']).toContain(reading.outcome)
    } else {
      // A value getboolean cannot read (ValueError, interpolation errors): refused at the key's line.
      expect(answer.get).toEqual({ error: expect.stringMatching(/^(ValueError|Interpolation\w*Error)$/) })
      expect(reading.outcome).toBe('refused')
      expect(reading.lines).toContain(c.line)
    }
  })

  it('the oracle answered for every case, and the corpus holds the cases of issue 18', () => {
    expect(Object.keys(answers).sort()).toEqual(REPO_CONFIG_CASES.map((c) => c.name).sort())
    expect(REPO_CONFIG_CASES.filter((c) => c.name.includes('(issue 18)'))).toHaveLength(5)
  })
})
