/**
 * docker_api (buildstep): the build backend of the host (../backend.ts: a simulated `docker build`, or
 * `buildah bud`) builds the Dockerfile as the prebuild plugins left it; its output lines are docker's, under
 * `atomic_reactor.util` as atomic-reactor's wait_for_command logs them.
 */
import { dirname } from 'node:path'
import { registryHost } from '../../images/pullspec.js'
import type { BuildRequest } from '../backend.js'
import { parentStage } from '../util/dockerfile.js'
import { ImageName } from '../util/imagename.js'
import { definePlugin } from '../plugin.js'
import type { BuildResult, Workflow } from '../workflow.js'

export default definePlugin({
  key: 'docker_api',
  // no __init__ of its own: no arguments
  defaults: {},
  async run(wf, _args, log): Promise<BuildResult> {
    const util = wf.log.logger('atomic_reactor.util')
    log.debug('build is submitted, waiting for it to finish')
    util.info('wait_for_command')
    const outcome = await wf.host.backend.build(buildRequest(wf), wf.stepOptions(util))
    if (outcome.base) {
      wf.baseImageId = outcome.base.id
      wf.baseImageLabels = outcome.base.labels
      wf.baseImageLayers = outcome.base.layers
    }
    if ('failReason' in outcome) {
      util.error(outcome.failReason)
      return { failReason: outcome.failReason }
    }
    util.info('no more logs')
    return { image: outcome.image }
  }
})

function buildRequest(wf: Workflow): BuildRequest {
  return {
    contextDir: dirname(wf.dockerfilePath),
    dockerfilePath: wf.dockerfilePath,
    dockerfile: wf.dockerfile,
    tag: wf.localImageName,
    bases: stageBases(wf),
    base: { name: wf.baseImage, id: wf.baseImageId, labels: wf.baseImageLabels, layers: wf.baseImageLayers },
    source: { dockerfile: wf.originalDockerfile, commitId: wf.commitId, commitTime: wf.commitTime }
  }
}

/** The images every stage starts from that must be pulled (not scratch, not an earlier stage, not an image id, not pulled yet). */
function stageBases(wf: Workflow): { pull: string; as: string }[] {
  const df = wf.parsedDockerfile
  const parentArg = wf.entry('prebuild_plugins', 'pull_base_image')?.args?.parent_registry
  const parent = parentArg ? registryHost(String(parentArg)) : undefined
  const pulled = wf.baseImage && wf.baseImageId ? wf.baseImage.toString() : undefined
  const out: { pull: string; as: string }[] = []
  for (const stage of df.stages) {
    if (!stage.from || stage.from === 'scratch' || parentStage(df, stage)) continue
    // an image id (change_from_in_dockerfile pins FROM to the pulled base's): in local storage already
    if (/^(sha256:)?[0-9a-f]{64}$/.test(stage.from)) continue
    const as = ImageName.parse(stage.from)
    if (as.toString() === pulled || out.some((b) => b.as === as.toString())) continue
    const pull = parent && !as.registry ? as.copy({ registry: parent }) : as
    out.push({ pull: pull.toString(), as: as.toString() })
  }
  return out
}
