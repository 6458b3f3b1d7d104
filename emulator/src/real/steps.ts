/**
 * The real side of the emulated atomic-reactor's pull, build and push steps (pull_base_image, docker_api,
 * tag_and_push, remove_built_image) when builds are real: each plugin calls one of these when
 * `wf.host.registries.engine` is set, and keeps its simulated behaviour otherwise. Log lines keep atomic-reactor's
 * loggers; the tool's own output lines come in between, as they come.
 */
import { dirname } from 'node:path'
import { registryHost, type ManifestDigests } from '../registry.js'
import { parentStage } from '../reactor/util/dockerfile.js'
import { ImageName } from '../reactor/util/imagename.js'
import { PyException } from '../reactor/util/py.js'
import type { BuildResult, Workflow } from '../reactor/workflow.js'
import type { BuildEngine } from './engine.js'

function engineOf(wf: Workflow): BuildEngine {
  const engine = wf.host.registries.engine
  if (!engine) throw new Error('real builds are not enabled in this cluster')
  return engine
}

/** pull_base_image: pull `name` (the base with the parent registry), tag it as the Dockerfile names it. */
export async function pullBaseReal(wf: Workflow, name: ImageName, base: ImageName): Promise<void> {
  const core = wf.log.logger('atomic_reactor.core')
  let image
  try {
    image = await engineOf(wf).pullBase(name.toString(), base.toString(), { signal: wf.host.signal, onLine: (l) => core.debug(l) })
  } catch (err) {
    throw new PyException('RuntimeError', `Failed to pull image '${name.toString()}': ${(err as Error).message}`)
  }
  core.debug(`image '${name.toString()}' pulled: ${image.imageId}`)
  core.info(`tagging image '${name.toString()}' as '${base.toString()}'`)
  wf.baseImageId = image.imageId
  wf.baseImageLabels = { ...image.labels }
  wf.baseImageLayers = image.layers ?? []
  wf.toRemove.push(name.toString(), wf.buildName)
}

/** The images every stage starts from that must be pulled (not scratch, not an earlier stage, not pulled yet). */
function stageBases(wf: Workflow): { pull: string; as: string }[] {
  const df = wf.parsedDockerfile
  const parentArg = wf.entry('prebuild_plugins', 'pull_base_image')?.args?.parent_registry
  const parent = parentArg ? registryHost(String(parentArg)) : undefined
  const pulled = wf.baseImage && wf.baseImageId ? wf.baseImage.toString() : undefined
  const out: { pull: string; as: string }[] = []
  for (const stage of df.stages) {
    if (!stage.from || stage.from === 'scratch' || parentStage(df, stage)) continue
    const as = ImageName.parse(stage.from)
    if (as.toString() === pulled || out.some((b) => b.as === as.toString())) continue
    const pull = parent && !as.registry ? as.copy({ registry: parent }) : as
    out.push({ pull: pull.toString(), as: as.toString() })
  }
  return out
}

/** The name the built image has in buildah's storage (the output image without its registry). */
function localName(wf: Workflow): string {
  return ImageName.parse(wf.outputImage || wf.buildName)
    .toString()
    .toLowerCase()
}

/** The build step (docker_api): `buildah bud` of the Dockerfile as the prebuild plugins left it. */
export async function buildReal(wf: Workflow): Promise<BuildResult> {
  const util = wf.log.logger('atomic_reactor.util')
  util.info('wait_for_command')
  const outcome = await engineOf(wf).build(
    {
      contextDir: dirname(wf.dockerfilePath),
      dockerfilePath: wf.dockerfilePath,
      tag: localName(wf),
      bases: stageBases(wf)
    },
    { signal: wf.host.signal, onLine: (l) => util.debug(l) }
  )
  if ('failReason' in outcome) {
    util.error(outcome.failReason)
    return { failReason: outcome.failReason }
  }
  util.info('no more logs')
  return { image: outcome.image }
}

/**
 * Whether a push to `registry` is real: it is one the cluster serves, or a loopback address (where nobody serving
 * it makes the push fail with connection refused). Other names (`registry-v1.example.com`: v1 registries, which
 * have no server here) keep the in-memory registry, and the log says so.
 */
export function pushesForReal(wf: Workflow, registry: string): boolean {
  const engine = wf.host.registries.engine
  return !!engine && isServedOrLoopback(Object.values(engine.hosts), registry)
}

/** `registry` (`[scheme://]host[:port][/path]`) is one of `served` (`host:port`) or a loopback address. */
export function isServedOrLoopback(served: string[], registry: string): boolean {
  const host = registryHost(registry)
  if (served.includes(host)) return true
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
  return name === 'localhost' || name === '::1' || /^127\./.test(name)
}

/** tag_and_push of one image to one registry: a real push; atomic-reactor's error when it fails. */
export async function pushReal(wf: Workflow, registry: string, image: ImageName): Promise<ManifestDigests> {
  const core = wf.log.logger('atomic_reactor.core')
  const target = image.copy({ registry: registryHost(registry) })
  if (!wf.builtImage) throw new PyException('RuntimeError', 'no image built')
  core.info(`pushing image '${target.toString()}'`)
  try {
    return await engineOf(wf).push(wf.builtImage, registry, image.repository, image.tag ?? 'latest', { signal: wf.host.signal, onLine: (l) => core.debug(l) })
  } catch (err) {
    const message = (err as Error).message.replace(/\\/g, '\\\\').replace(/'/g, "\\'")
    throw new PyException('RuntimeError', `Failed to push image ${target.toString()}: {u'message': u'${message}'}`)
  }
}

/** tag_and_push to a registry not served here (real builds): in memory, with the manifest buildah makes. */
export async function pushEmulatedReal(wf: Workflow, registry: string, image: ImageName): Promise<ManifestDigests> {
  if (!wf.builtImage) throw new PyException('RuntimeError', 'no image built')
  wf.log.logger('atomic_reactor.core').debug(`${registryHost(registry)} is not served here: the push is kept in memory (emulated)`)
  return engineOf(wf).pushEmulated(wf.builtImage, registry, image.repository, image.tag ?? 'latest')
}

/**
 * remove_built_image: the build's name leaves buildah's storage, and the image with it unless another build
 * pulled it meanwhile (a base image built here: the same image id), which must keep it.
 */
export async function removeReal(wf: Workflow): Promise<void> {
  if (wf.builtImage) await engineOf(wf).removeImage(localName(wf))
}

/** delete_from_registry of one manifest: DELETE on the registry; false when it does not know it. */
export async function deleteReal(wf: Workflow, host: string, repository: string, digest: string): Promise<boolean> {
  return engineOf(wf).deleteManifest(host, repository, digest)
}
