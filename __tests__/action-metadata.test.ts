/** action.yml, the README, the input list of the code and the bundle agree with each other. */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import { INPUT_NAMES } from '../src/inputs/raw.js'
import { CLIENT_VERSION } from '../src/render/plugins/index.js'
import { dryRunOutputs } from '../src/report/dry-run.js'
import { makePlan } from '../__fixtures__/dry-run/settings.js'
import { DEFAULT_INPUTS } from '../__fixtures__/e2e/action.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const action = YAML.parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: Record<string, string>
  branding: Record<string, string>
}
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }

/** Rows of the Markdown table under a `## <heading>`: cells, with backquotes and escapes removed. */
function table(heading: string): string[][] {
  const section = readme.split(/^## /m).find((s) => s.startsWith(`${heading}\n`))
  if (!section) throw new Error(`README has no section ${heading}`)
  return section
    .split('\n')
    .filter((line) => /^\| `/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) =>
          cell
            .trim()
            .replace(/^`(.*)`$/, '$1')
            .replace(/\\\|/g, '|')
        )
    )
}

describe('action.yml', () => {
  it('declares every input of SPEC §2 that the code reads, in the same order', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES])
  })

  it('has a description for every input and output, without <…> that Markdown would swallow', () => {
    for (const entry of [...Object.values(action.inputs), ...Object.values(action.outputs)]) {
      expect(entry.description.length).toBeGreaterThan(10)
      expect(entry.description).not.toMatch(/<[a-z_]+>/i)
    }
  })

  it('declares the outputs of SPEC §6.6, the Koji build and RPM count, and build-config-json', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      [
        'build-config',
        'build-kind',
        'build-name',
        'build-number',
        'build-status',
        'build-url',
        'image',
        'images',
        'primary-images',
        'unique-images',
        'v1-images',
        'v2-images',
        'pulp-images',
        'digests',
        'image-digest',
        'image-id',
        'commit-id',
        'base-image',
        'base-image-stream-tag',
        'autorebuild',
        'koji-build-id',
        'koji-nvr',
        'koji-build-url',
        'rpm-count',
        'build-config-json'
      ].sort()
    )
  })

  it('every output a dry run sets is declared', () => {
    for (const name of Object.keys(dryRunOutputs(makePlan()))) expect(action.outputs).toHaveProperty(name)
  })

  it('runs one bundle on node24 as main and post, with branding', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js', 'post-if': 'always()' })
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
  })

  it('has no default for inputs that exclude or default to each other', () => {
    for (const name of ['build-image', 'build-imagestream', 'pulp-sync-registry-name', 'pulp-sync-secret', 'git-branch', 'namespace']) {
      expect(action.inputs[name].default).toBeUndefined()
    }
  })
})

describe('the end-to-end harness', () => {
  it('starts every run from the inputs a workflow gets: the defaults of action.yml (a job without a token: github-token empty), and no input action.yml leaves unset', () => {
    expect(action.inputs['github-token']!.default).toBe('${{ github.token }}')
    expect(DEFAULT_INPUTS).toEqual(
      Object.fromEntries(
        Object.entries(action.inputs)
          .filter(([, input]) => input.default !== undefined)
          .map(([name, input]) => [name, name === 'github-token' ? '' : String(input.default)])
      )
    )
    expect(DEFAULT_INPUTS).toMatchObject({ 'timeout-minutes': '120', 'on-running-build': 'wait', 'registry-api-versions': 'v1,v2' })
    expect(DEFAULT_INPUTS).not.toHaveProperty('build-image')
  })
})

describe('README', () => {
  it('has the inputs table equal to action.yml', () => {
    expect(table('Inputs')).toEqual(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '', input.description]))
  })

  it('has the outputs table equal to action.yml', () => {
    expect(table('Outputs')).toEqual(Object.entries(action.outputs).map(([name, output]) => [name, output.description]))
  })

  it('gives the two commands', () => {
    expect(readme).toContain('npm ci && npm test')
    expect(readme).toContain('npm ci && npm run demo')
    expect(readme).toMatch(/^## Local OpenShift and demo$/m)
  })

  it('shows a workflow on push to branches using the action', () => {
    const usage = /## Usage\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)
    expect(usage).not.toBeNull()
    const workflow = YAML.parse(usage![1])
    expect(workflow.on.push.branches.length).toBeGreaterThan(0)
    const step = workflow.jobs.build.steps.find((s: { uses?: string }) => s.uses?.includes('osbs-build-action'))
    for (const input of Object.keys(step.with)) expect(action.inputs).toHaveProperty(input)
  })
})

describe('versions and the bundle', () => {
  it('client_version is the package version', () => {
    expect(CLIENT_VERSION).toBe(packageJson.version)
  })

  it('dist/action/index.js exists, is an ESM bundle without missing modules (it and the chunks it loads)', () => {
    const bundle = path.join(root, 'dist', 'action', 'index.js')
    expect(existsSync(bundle)).toBe(true)
    // the step's shell: the library and the network stack are chunks loaded when a step needs them
    const chunks = readdirSync(path.join(root, 'dist', 'action')).filter((f) => f.endsWith('.js'))
    expect(chunks.length).toBeGreaterThan(2)
    expect(chunks.reduce((sum, f) => sum + statSync(path.join(root, 'dist', 'action', f)).size, 0)).toBeGreaterThan(500_000)
    for (const file of chunks) {
      const text = readFileSync(path.join(root, 'dist', 'action', file), 'utf8')
      expect(text).not.toContain('webpackMissingModule')
      expect(text).not.toMatch(/Cannot find module '[^']*src\//)
    }
    for (const dir of ['dist', 'dist/action']) expect(JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'))).toEqual({ type: 'module' })
  })

  it('dist/index.js is the small entry that loads the action bundle; both have source maps naming src/', () => {
    const entry = readFileSync(path.join(root, 'dist', 'index.js'), 'utf8')
    expect(entry.length).toBeLessThan(10_000)
    // source maps are read only when an unexpected error's stack is reported (e2e-unexpected-error checks the frames)
    expect(entry).not.toContain('setSourceMapsEnabled')
    expect(entry).toContain('SourceMap')
    expect(entry).toContain('./action/index.js')
    for (const [bundle, source] of [
      ['dist/index.js', '../src/index.ts'],
      ['dist/action/index.js', '../../src/action/action.ts']
    ]) {
      expect(readFileSync(path.join(root, bundle), 'utf8')).toMatch(/\n\/\/# sourceMappingURL=index\.js\.map\n?$/)
      const map = JSON.parse(readFileSync(path.join(root, `${bundle}.map`), 'utf8')) as { sources: string[]; sourcesContent?: unknown }
      expect(map.sources).toContain(source)
      expect(existsSync(path.resolve(root, path.dirname(bundle), source))).toBe(true)
      expect(map.sourcesContent).toBeUndefined()
    }
  })
})
