/**
 * Entry point of the bundle, for both `runs.main` and `runs.post` of action.yml: the main step saves the state
 * `isPost`, so the same bundle knows it is the post step when it runs again.
 */
import * as core from '@actions/core'
import { run } from './main.js'
import { post } from './post.js'

if (core.getState('isPost') === 'true') {
  await post()
} else {
  core.saveState('isPost', 'true')
  await run()
}
