/**
 * Entry point of the bundle, for both `runs.main` and `runs.post` of action.yml: the main step saves the state
 * `isPost`, so the same bundle knows it is the post step when it runs again. Each step loads only its own code.
 */
import { setFlagsFromString } from 'node:v8'
import * as core from '@actions/core'

// A followed build log allocates a few short-lived strings per line, millions of times: V8 would grow its young
// generation to its maximum (about 50 MiB more resident memory for nothing). Kept at its starting size, memory
// stays flat and the log goes faster (measured: peak RSS 264 -> 137 MiB for a million lines).
setFlagsFromString('--semi-space-growth-factor=1')

if (core.getState('isPost') === 'true') {
  const { post } = await import('./post.js')
  await post()
} else {
  core.saveState('isPost', 'true')
  const { run } = await import('./main.js')
  await run()
}
