/**
 * The action: the main step saves the state `isPost`, so the same bundle knows it is the post step when it runs
 * again (action.yml runs dist/index.js as both `runs.main` and `runs.post`).
 */
import * as core from '@actions/core'
import { run } from './main.js'
import { post } from './post.js'

export async function action(): Promise<void> {
  if (core.getState('isPost') === 'true') {
    await post()
  } else {
    core.saveState('isPost', 'true')
    await run()
  }
}
