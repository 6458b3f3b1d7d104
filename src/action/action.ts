/**
 * The action: the main step saves the state `isPost`, so the same bundle knows it is the post step when it runs
 * again (action.yml runs dist/index.js as both `runs.main` and `runs.post`). Each step loads only its own code.
 * Before that first write, the runner's files (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY) are checked: one
 * the step cannot write to ends it at once, by name, before any input is read or any request made.
 */
import * as core from './toolkit.js'
import { runnerFileProblems } from './runner-files.js'

export async function action(): Promise<void> {
  if (core.getState('isPost') === 'true') {
    const { post } = await import('./post.js')
    await post()
  } else {
    const problems = runnerFileProblems(process.env)
    for (const problem of problems) core.error(problem.message)
    if (problems.length > 0) {
      process.exitCode = 1
      return
    }
    core.saveState('isPost', 'true')
    const { run } = await import('./main.js')
    await run()
  }
}
