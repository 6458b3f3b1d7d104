/**
 * The action: the main step saves the state `isPost`, so the same bundle knows it is the post step when it runs
 * again (action.yml runs dist/index.js as both `runs.main` and `runs.post`). Each step loads only its own code.
 */
import * as core from '@actions/core'

export async function action(): Promise<void> {
  if (core.getState('isPost') === 'true') {
    const { post } = await import('./post.js')
    await post()
  } else {
    core.saveState('isPost', 'true')
    const { run } = await import('./main.js')
    await run()
  }
}
