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
  // Each value and structure, with Python's own answer beside it: __tests__/repo-config-python.test.ts.
  it('no file: enabled by default, and the reactor is not asked', () => {
    const { config, problems } = parseRepoConfig(null, FILE)
    expect(problems).toEqual([])
    expect(config.autorebuild).toBe(true)
    expect(config.line).toBeUndefined()
  })

  it.each([
    ['enabled = maybe', '[autorebuild]\nenabled = maybe\n', 2, /enabled = "maybe" is not a boolean\. Accepted.*1, true, yes, on.*0, false, no, off/],
    ['enabled = 2', '# c\n[autorebuild]\nenabled = 2\n', 3, /"2" is not a boolean/],
    ['empty value', '[autorebuild]\nenabled =\n', 2, /"" is not a boolean/],
    ['continued value', '[autorebuild]\nenabled = true\n  false\n', 2, /"true\\nfalse" is not a boolean; the next line is indented, so ConfigParser reads it as a continuation/],
    ['quoted value', '[autorebuild]\nenabled = "true"\n', 2, /enabled = "\\"true\\"" is not a boolean; ConfigParser keeps quotes as part of the value: remove them/],
    ['inline ; comment', '[autorebuild]\nenabled = true ; comment\n', 2, /is not a boolean; ConfigParser does not strip a comment after a value: put the comment on a line of its own/],
    ['inline # comment', '[autorebuild]\nenabled = true # comment\n', 2, /does not strip a comment after a value/],
    ['a BOM', '\ufeff[autorebuild]\nenabled = true\n', 1, /starts with a byte order mark \(U\+FEFF\).*save the file as UTF-8 without a byte order mark/],
    ['[ autorebuild ]', '[ autorebuild ]\nenabled = true\n', 1, /section \[ autorebuild \] is not \[autorebuild\]: ConfigParser takes a section name exactly as written/],
    ['[Autorebuild]', '[Autorebuild]\nenabled = false\n', 1, /section \[Autorebuild\] is not \[autorebuild\]/],
    ['duplicate key', '[autorebuild]\nenabled = true\nenabled = false\n', 3, /key 'enabled' appears twice in \[autorebuild\] \(first on line 2\)/],
    ['key outside a section', 'enabled = true\n', 1, /key 'enabled' is outside a section/],
    ['malformed header', '[autorebuild\nenabled = true\n', 1, /not a valid section header/],
    ['bare key', '[autorebuild]\nenabled\n', 2, /is not a "key = value" line/],
    ['no key', '[autorebuild]\n= true\n', 2, /"= true" has no key before '='/],
    ['duplicate section', '[autorebuild]\nenabled = true\n[autorebuild]\n', 3, /section \[autorebuild\] appears twice/],
    ['a % in the value', '[autorebuild]\nenabled = 100%\n', 2, /ConfigParser interpolates '%' in a value/],
    ['enabled under [DEFAULT] alone', '[DEFAULT]\nenabled = false\n', 2, /'enabled' under \[DEFAULT\] is not read without an \[autorebuild\] section/],
    ['enabled read as a continuation', '[autorebuild]\nx = 1\n  enabled = false\n', 3, /"enabled = false" is indented deeper than 'x' \(line 2\), so ConfigParser reads it as a continuation/]
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

  it('warns about unused keys', () => {
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
