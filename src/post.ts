/**
 * The post step (`runs.post`): runs after the job's steps, also when the job was cancelled. Its job is to leave
 * no build of this run running in OpenShift.
 */
import * as core from '@actions/core'

export async function post(): Promise<void> {
  const buildName = core.getState('build-name')
  if (!buildName) {
    core.debug('post: this run started no build; nothing to clean up')
    return
  }
  if (core.getState('build-finished') === 'true') {
    core.debug(`post: build ${buildName} has finished; nothing to clean up`)
    return
  }
  core.warning(`Build ${buildName} may still be running in OpenShift; cancel it there if it is not wanted`)
}
