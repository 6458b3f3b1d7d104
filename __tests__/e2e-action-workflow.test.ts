/** The reusable workflow (.github/workflows/osbs-build.yml) passes the action every input and only real ones. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

const root = path.resolve(import.meta.dirname, '..')
const workflow = parse(readFileSync(path.join(root, '.github', 'workflows', 'osbs-build.yml'), 'utf8'))
const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8'))

describe('the reusable workflow', () => {
  const call = workflow.on.workflow_call
  const step = workflow.jobs.build.steps.find((s: { id?: string }) => s.id === 'osbs')

  it('is callable (on: workflow_call) and runs the action checked out from its repository', () => {
    expect(call).toBeDefined()
    expect(step.uses).toBe('./.osbs-build-action')
    const checkout = workflow.jobs.build.steps.find((s: { with?: { path?: string } }) => s.with?.path === '.osbs-build-action')
    expect(checkout.with.repository).toBe('${{ inputs.action-repository }}')
  })

  it('passes every input of action.yml, and nothing else', () => {
    expect(Object.keys(step.with).sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it("declares every input and secret it uses; the job's own token is the one value from the run", () => {
    for (const [name, value] of Object.entries(step.with) as Array<[string, string]>) {
      // the commit status is set with the calling job's token (its permissions: statuses: write)
      if (name === 'github-token') {
        expect(value).toBe('${{ github.token }}')
        continue
      }
      const ref = /\$\{\{ (inputs|secrets)\.([\w-]+) \}\}/.exec(value)
      expect(ref).not.toBeNull()
      expect(Object.keys(ref![1] === 'inputs' ? call.inputs : call.secrets)).toContain(ref![2])
    }
  })

  it('maps its outputs to outputs the action has', () => {
    for (const [name, output] of Object.entries(call.outputs) as [string, { value: string }][]) {
      expect(output.value).toBe(`\${{ jobs.build.outputs.${name} }}`)
      expect(workflow.jobs.build.outputs[name]).toBe(`\${{ steps.osbs.outputs.${name} }}`)
      expect(Object.keys(action.outputs)).toContain(name)
    }
  })
})
