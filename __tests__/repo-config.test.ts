import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseRepoConfig } from '../src/checkout/repo-config.js'
import { planFromCheckout } from '../src/plan/index.js'
import { DOCKERFILE, makeSettings } from '../__fixtures__/dry-run/settings.js'
import { RecordingReporter } from '../__fixtures__/e2e/plan.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const FILE = '.osbs-repo-config'

describe('SPEC §3.1 .osbs-repo-config', () => {
  it.each([
    ['no file', null, true],
    ['empty file', '', true],
    ['section without the key', '[autorebuild]\n', true],
    ['only other sections', '[other]\nenabled = false\n', true],
    ['section names are case-sensitive', '[Autorebuild]\nenabled = false\n', true],
    ['enabled = 1', '[autorebuild]\nenabled = 1\n', true],
    ['enabled = true', '[autorebuild]\nenabled = true\n', true],
    ['enabled = TRUE', '[autorebuild]\nenabled = TRUE\n', true],
    ['enabled = yes', '[autorebuild]\nenabled = yes\n', true],
    ['enabled = On', '[autorebuild]\nenabled = On\n', true],
    ['Enabled=true (keys are case-insensitive)', '[autorebuild]\nEnabled=true\n', true],
    ['enabled: true (colon separator)', '[autorebuild]\nenabled: true\n', true],
    ['enabled = 0', '[autorebuild]\nenabled = 0\n', false],
    ['enabled = false', '[autorebuild]\nenabled = false\n', false],
    ['enabled = False', '[autorebuild]\nenabled = False\n', false],
    ['enabled = no', '[autorebuild]\nenabled = no\n', false],
    ['enabled = OFF', '[autorebuild]\nenabled = OFF\n', false],
    ['comments and blank lines', '# repo config\n; another comment\n\n[autorebuild]\n# off for now\nenabled = false\n', false],
    ['quoted value', '[autorebuild]\nenabled = "false"\n', false],
    ['inline comment', '[autorebuild]\nenabled = false ; not yet\n', false],
    ['CRLF line ends', '[autorebuild]\r\nenabled = false\r\n', false]
  ])('%s → enabled %p', (_, text, expected) => {
    const { config, problems } = parseRepoConfig(text, FILE)
    expect(problems).toEqual([])
    expect(config.autorebuild).toBe(expected)
  })

  it.each([
    ['enabled = maybe', '[autorebuild]\nenabled = maybe\n', 2, /enabled = "maybe" is not a boolean.*1, true, yes, on.*0, false, no, off/],
    ['enabled = 2', '# c\n[autorebuild]\nenabled = 2\n', 3, /"2" is not a boolean/],
    ['empty value', '[autorebuild]\nenabled =\n', 2, /"" is not a boolean/],
    ['continued value', '[autorebuild]\nenabled = true\n  false\n', 2, /not a boolean/],
    ['duplicate key', '[autorebuild]\nenabled = true\nenabled = false\n', 3, /key 'enabled' appears twice in \[autorebuild\] \(first on line 2\)/],
    ['key outside a section', 'enabled = true\n', 1, /key 'enabled' is outside a section/],
    ['malformed header', '[autorebuild\nenabled = true\n', 1, /not a valid section header/],
    ['bare key', '[autorebuild]\nenabled\n', 2, /is not a "key = value" line/],
    ['duplicate section', '[autorebuild]\nenabled = true\n[autorebuild]\n', 3, /section \[autorebuild\] appears twice/]
  ])('%s is an error naming the file and line', (_, text, line, message) => {
    const { problems } = parseRepoConfig(text, FILE)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ file: FILE, line })
    expect(problems[0].message).toMatch(message)
    expect(problems[0].message).toContain(`${FILE}:${line}:`)
  })

  it('reports every problem, not only the first', () => {
    const { problems } = parseRepoConfig('x = 1\n[autorebuild]\nenabled = perhaps\n', FILE)
    expect(problems.map((p) => p.line)).toEqual([1, 3])
  })

  it('says where the value came from', () => {
    expect(parseRepoConfig('[autorebuild]\n\nenabled = off\n', FILE).config).toEqual({
      autorebuild: false,
      source: `${FILE}:3: enabled = off`,
      line: 3
    })
    expect(parseRepoConfig(null, FILE).config.source).toMatch(/does not exist/)
  })

  it('warns about a section that differs only in case, and unused keys', () => {
    expect(parseRepoConfig('[AutoRebuild]\nenabled = false\n', FILE).warnings[0]).toMatchObject({ line: 1 })
    expect(parseRepoConfig('[autorebuild]\nenabled = true\nfoo = 1\n', FILE).warnings[0]).toMatchObject({ line: 3 })
  })

  it('its warnings reach the job log as annotations at their file and line', async () => {
    const workspace = makeTempDir('osbs-repo-config-')
    writeFileSync(path.join(workspace, 'Dockerfile'), DOCKERFILE)
    writeFileSync(path.join(workspace, FILE), '[autorebuild]\nenabled = true\nfoo = 1\n')
    const reporter = new RecordingReporter()
    await planFromCheckout({ ...makeSettings({ 'registry-uri': 'registry.example.com/v2' }), workspace }, reporter)
    expect(reporter.events.filter((e) => e.kind === 'warning')).toEqual([
      { kind: 'warning', text: `${FILE}:3: key 'foo' in [autorebuild] is not used (only 'enabled' is)`, props: { file: FILE, startLine: 3 } }
    ])
  })
})
