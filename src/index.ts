/**
 * Entry point of the bundle, for both `runs.main` and `runs.post` of action.yml: the main step saves the state
 * `isPost`, so the same bundle knows it is the post step when it runs again. Each step loads only its own code.
 */
import * as core from '@actions/core'

if (core.getState('isPost') === 'true') {
  const { post } = await import('./post.js')
  await post()
} else {
  core.saveState('isPost', 'true')
  const { run } = await import('./main.js')
  await run()
}
