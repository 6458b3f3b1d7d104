/**
 * The GitHub workflows: valid (action-validator, the workflow linter that runs from npm), and the reusable workflow
 * starts for any caller and passes the whole action through; the README's caller example fits it.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import YAML from 'yaml'

const root = path.resolve(import.meta.dirname, '..')
const workflowsDir = path.join(root, '.github', 'workflows')
const validator = createRequire(import.meta.url)('@action-validator/core') as { validateWorkflow(yaml: string): { errors: unknown[] } }

const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
const action = YAML.parse(read('action.yml')) as { inputs: Record<string, { description: string; default?: string }>; outputs: Record<string, { description: string }> }
const reusable = YAML.parse(read('.github/workflows/osbs-build.yml'))
const call = reusable.on.workflow_call
const CREDENTIALS = ['openshift-token', 'kubeconfig', 'certificate-authority']

/** The first major version of each GitHub action that runs on Node 24; an action not listed here fails the test. */
const NODE24_MAJOR: Record<string, number> = { 'actions/checkout': 5, 'actions/setup-node': 5, 'actions/upload-artifact': 6 }

describe('every workflow', () => {
  const files = readdirSync(workflowsDir).filter((f) => f.endsWith('.yml'))

  it('there are the CI, release and reusable workflows', () => {
    expect(files.sort()).toEqual(['ci.yml', 'osbs-build.yml', 'release.yml'])
  })

  it.each(files)('%s passes action-validator', (file) => {
    expect(validator.validateWorkflow(readFileSync(path.join(workflowsDir, file), 'utf8')).errors).toEqual([])
  })

  it.each(files)('%s uses GitHub actions that run on Node 24', (file) => {
    const uses = [...readFileSync(path.join(workflowsDir, file), 'utf8').matchAll(/uses:\s*(actions\/[\w-]+)@v(\d+)\s*$/gm)]
    expect(uses.length).toBeGreaterThan(0)
    for (const [, name, major] of uses) {
      expect(NODE24_MAJOR).toHaveProperty([name!])
      expect(Number(major)).toBeGreaterThanOrEqual(NODE24_MAJOR[name!]!)
    }
  })

  it('action-validator sees a broken workflow (the check above is real)', () => {
    expect(validator.validateWorkflow('on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n').errors).not.toEqual([])
  })
})

describe('the reusable workflow', () => {
  it("asks for no permission of its own (a called workflow can only narrow the caller's, so id-token: write would stop callers that do not grant it)", () => {
    expect(reusable.permissions).toBeUndefined()
    for (const job of Object.values(reusable.jobs) as Array<{ permissions?: unknown }>) expect(job.permissions).toBeUndefined()
  })

  it("has every input of the action, the credentials as secrets, each described, with the action's defaults", () => {
    const expected = Object.keys(action.inputs).filter((n) => !CREDENTIALS.includes(n))
    expect(Object.keys(call.inputs)).toEqual(['action-repository', 'action-ref', 'runs-on', ...expected])
    expect(Object.keys(call.secrets)).toEqual(CREDENTIALS)
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
    expect(step.with).toEqual(Object.fromEntries(Object.keys(action.inputs).map((n) => [n, `\${{ ${CREDENTIALS.includes(n) ? 'secrets' : 'inputs'}.${n} }}`])))
    const outputs = Object.keys(action.outputs)
    expect(outputs).toHaveLength(20)
    expect(job.outputs).toEqual(Object.fromEntries(outputs.map((n) => [n, `\${{ steps.osbs.outputs.${n} }}`])))
    expect(call.outputs).toEqual(Object.fromEntries(outputs.map((n) => [n, { description: action.outputs[n]!.description, value: `\${{ jobs.build.outputs.${n} }}` }])))
  })

  it('the README caller example uses only its inputs, secrets and outputs, and says how to grant id-token for OIDC', () => {
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
      for (const name of Object.keys(caller.with)) expect(call.inputs).toHaveProperty([name])
      expect(caller.with['action-repository']).toEqual(expect.any(String))
      for (const name of Object.keys(caller.secrets ?? {})) expect(call.secrets).toHaveProperty([name])
      if ('oidc-audience' in caller.with) expect(caller.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' })
      const used = [...JSON.stringify(example).matchAll(/needs\.\w+\.outputs\.([\w-]+)/g)].map((m) => m[1]!)
      for (const name of used) expect(call.outputs).toHaveProperty([name])
    }
    expect(examples.some((e) => Object.values(e.jobs).some((j: any) => j.with?.['oidc-audience']))).toBe(true)
  })
})
