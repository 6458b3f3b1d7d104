/**
 * The post step (`runs.post`): runs after the job's steps, also when the job was cancelled. Its job is to leave
 * no build of this run running in OpenShift: when the main step saved a build name and neither that it finished nor
 * that it left it running on purpose (`wait: false`), the build is cancelled (if it is still running).
 */
import * as core from './toolkit.js'
import { STATE_BUILD_FINISHED, STATE_BUILD_LEFT_RUNNING, STATE_BUILD_NAME } from '../flow/state.js'
import { githubReporter } from './reporter.js'

export async function post(): Promise<void> {
  const buildName = core.getState(STATE_BUILD_NAME)
  if (!buildName) {
    core.debug('post: this run started no build; nothing to clean up')
    return
  }
  if (core.getState(STATE_BUILD_FINISHED) === 'true') {
    core.debug(`post: build ${buildName} has finished; nothing to clean up`)
    return
  }
  if (core.getState(STATE_BUILD_LEFT_RUNNING) === 'true') {
    core.debug(`post: build ${buildName} was started with wait: false; it is left to run`)
    return
  }
  const reporter = githubReporter()
  try {
    // Loaded only now: a post step with nothing to clean up reads no input and loads no client.
    const [{ readSettings }, { cancelLeftoverBuild, connectCluster }] = await Promise.all([import('./inputs.js'), import('../lib.js')])
    const settings = readSettings({ notice: (message) => core.debug(message) })
    const client = connectCluster(settings, {
      getIdToken: (audience) => core.getIDToken(audience),
      setSecret: (value) => core.setSecret(value),
      debug: (message) => core.debug(message)
    })
    try {
      await cancelLeftoverBuild(client, buildName, reporter)
    } finally {
      await client.close()
    }
  } catch (error) {
    // Cleanup problems never fail the job; they are said.
    core.warning(`Build ${buildName} may still be running in OpenShift: ${error instanceof Error ? error.message : String(error)}`)
  }
}
