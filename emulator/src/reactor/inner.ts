/**
 * The emulated atomic-reactor's run of one build pod (`atomic_reactor/inner.py`: build_inside and
 * DockerBuildWorkflow.build_docker_image, SPEC §9.4).
 *
 * `runReactor(host)` reads `ATOMIC_REACTOR_PLUGINS` from the pod's env (the input plugin osv3), clones the source
 * with the git CLI, reads the Dockerfile (InsideBuilder) and runs the plugins phase by phase with atomic-reactor's
 * failure rules: a failing prebuild / buildstep / prepublish / postbuild plugin that is not allowed to fail stops
 * the build; exit plugins always run (keep going), and a failing one fails the build at the end. Log lines have
 * atomic-reactor's format.
 */
import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { schema2Manifest } from '../images/manifests.js'
import { exceptionCaught, setupFailed, traceback, type FailurePoint } from './cli.js'
import type { ReactorHost, ReactorResult } from './host.js'
import { BuildStepPluginsRunner, PluginsRunner, asPyException } from './plugin.js'
import { implementationOf } from './plugins/index.js'
import { cloneSource as clone, removeCheckout, type Checkout } from './source.js'
import { baseImage as dockerfileBase } from './util/dockerfile.js'
import { ImageName } from './util/imagename.js'
import type { ReactorLog } from './util/log.js'
import { PyException, pyRepr, pyStrRepr } from './util/py.js'
import { AutoRebuildCanceledException, BuildAborted, PluginFailedException, Workflow, type Phase, type PluginConfig } from './workflow.js'

const FAILED: ReactorResult = {
  success: false,
  reason: 'GenericBuildFailed',
  message: 'Generic Build failure - check logs for details.'
}

const CANCELLED: ReactorResult = { success: false, reason: 'CancelledBuild', message: 'The build was cancelled by the user.' }

const KNOWN_KEYS = new Set(['client_version', 'prebuild_plugins', 'buildstep_plugins', 'prepublish_plugins', 'postbuild_plugins', 'exit_plugins'])

/** Run one build (one pod). Never throws: a failure is a `{success: false}` result. */
export async function runReactor(host: ReactorHost): Promise<ReactorResult> {
  const config = inputOsv3(host)
  if (!config) return FAILED
  const wf = new Workflow(host, config)
  let checkout: Checkout | undefined
  try {
    // InsideBuilder: no exit plugin runs when this fails, as in atomic-reactor
    checkout = await cloneSource(wf)
    if (!checkout || !(await findDockerfile(wf, checkout))) return FAILED
    return await buildDockerImage(wf)
  } catch (e) {
    if (e instanceof BuildAborted || host.signal.aborted) return CANCELLED
    // an emulator bug: report it like an unexpected Python exception
    exceptionCaught(wf.log, new PyException('RuntimeError', String((e as Error)?.stack ?? e)))
    return FAILED
  } finally {
    await removeCheckout(checkout).catch(() => undefined)
  }
}

/** build_inside: the input plugin osv3, through its own runner: the plugin configuration, or undefined when it has none. */
function inputOsv3(host: ReactorHost): PluginConfig | undefined {
  const early = new Workflow(host, {})
  const inputLog = early.log.logger('atomic_reactor.plugins.osv3')
  early.log.logger('atomic_reactor.inner').info('log encoding: UTF-8')
  early.log.logger('atomic_reactor.inner').debug('getting build json from input osv3')
  early.log.logger('atomic_reactor.plugin').debug("running plugin 'osv3'")
  let config: PluginConfig
  try {
    config = readPluginConfig(host.env, early.log)
  } catch (e) {
    setupFailed(early.log, e as PyException)
    return undefined
  }
  // input_osv3: the removed dockerfile_content plugin is dropped from the request (its first occurrence)
  const dockerfileContent = (config.prebuild_plugins ?? []).findIndex((p) => p?.name === 'dockerfile_content')
  if (dockerfileContent >= 0) {
    inputLog.info('removing dockerfile_content plugin request; please update your osbs-client!')
    config.prebuild_plugins!.splice(dockerfileContent, 1)
  }
  early.log.logger('atomic_reactor.plugin').debug("plugin 'osv3' finished in 0s")
  if (config.client_version) early.log.logger('atomic_reactor.inner').debug(`build json was built by osbs-client ${config.client_version}`)
  const extra = Object.keys(config).filter((k) => !KNOWN_KEYS.has(k))
  if (extra.length) {
    inputLog.warning(`unprocessed keyword arguments: {${extra.map((k) => `${pyStrRepr(k, true)}: ${pyRepr((config as any)[k])}`).join(', ')}}`)
  }
  return config
}

/** `ATOMIC_REACTOR_PLUGINS` (or the deprecated `DOCK_PLUGINS`) as a JSON object; atomic-reactor's exception otherwise. */
function readPluginConfig(env: Readonly<Record<string, string>>, log: ReactorLog): PluginConfig {
  let text = env['ATOMIC_REACTOR_PLUGINS']
  if (text === undefined && env['DOCK_PLUGINS'] !== undefined) {
    log.logger('atomic_reactor.plugins.osv3').warning('DOCK_PLUGINS is deprecated - please update your osbs-client!')
    text = env['DOCK_PLUGINS']
  }
  if (text === undefined) throw new PyException('RuntimeError', 'No plugin configuration found!')
  let config: PluginConfig
  try {
    config = JSON.parse(text) as PluginConfig
  } catch (e) {
    throw new PyException('ValueError', `No JSON object could be decoded: ${(e as Error).message}`)
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new PyException('RuntimeError', 'plugin configuration is not a JSON object')
  return config
}

/**
 * InsideBuilder, first half: clone the source (input_osv3 gives it as SOURCE_URI at SOURCE_REF of the pod's env,
 * the image as OUTPUT_IMAGE); undefined when that fails (logged).
 */
async function cloneSource(wf: Workflow): Promise<Checkout | undefined> {
  const env = wf.host.env
  try {
    if (!env['SOURCE_URI']) throw new PyException('KeyError', 'SOURCE_URI')
    if (env['OUTPUT_IMAGE'] === undefined) throw new PyException('KeyError', 'OUTPUT_IMAGE')
    await wf.tick()
    const pod = { env, writeSourceVolume: wf.host.writeSourceVolume?.bind(wf.host) }
    return await clone(env['SOURCE_URI'], env['SOURCE_REF'], wf.log.logger('atomic_reactor.util'), wf.host.signal, pod)
  } catch (e) {
    if (wf.host.signal.aborted) throw new BuildAborted()
    const stderr = (e as { stderr?: string }).stderr
    const ex = e instanceof PyException ? e : new PyException('OSError', (e as Error).message + (stderr ? `: ${stderr.trim()}` : ''))
    wf.log.logger('atomic_reactor.source').error(`failed to clone the source: ${ex.message}`)
    setupFailed(wf.log, ex)
    return undefined
  }
}

/** InsideBuilder, second half: the checkout's Dockerfile and its base image; false when it has none (logged). */
async function findDockerfile(wf: Workflow, checkout: Checkout): Promise<boolean> {
  wf.workDir = checkout.workDir
  wf.sourceDir = checkout.dir
  wf.commitId = checkout.commitId
  wf.commitTime = checkout.commitTime
  wf.dockerfilePath = join(checkout.dir, 'Dockerfile')
  try {
    await access(wf.dockerfilePath)
    wf.originalDockerfile = await readFile(wf.dockerfilePath, 'utf8')
  } catch {
    setupFailed(wf.log, new PyException('IOError', `Dockerfile '${wf.dockerfilePath}' doesn't exist.`))
    return false
  }
  wf.dockerfile = wf.originalDockerfile
  const base = dockerfileBase(wf.parsedDockerfile)
  if (base) {
    const name = ImageName.parse(base)
    if (!name.tag) name.tag = 'latest'
    wf.baseImage = name
    wf.baseImageName = name.toString()
  }
  wf.log.logger('atomic_reactor.source').debug(`Dockerfile found at '${wf.dockerfilePath}'`)
  wf.log.logger('atomic_reactor.inner').info(`base image = '${wf.baseImageName}'`)
  return true
}

/** DockerBuildWorkflow.build_docker_image: the phases, then the exit plugins, which always run. */
async function buildDockerImage(wf: Workflow): Promise<ReactorResult> {
  const inner = wf.log.logger('atomic_reactor.inner')
  const config = wf.config
  let failure: PyException | undefined
  let point: FailurePoint = 'runner'
  try {
    inner.info('running pre-build plugins')
    await runPhase(wf, 'prebuild', () => new PluginsRunner(wf, implementationOf, 'prebuild', config.prebuild_plugins ?? []).run())
    inner.info('running buildstep plugins')
    await runPhase(wf, 'buildstep', () => new BuildStepPluginsRunner(wf, implementationOf, config.buildstep_plugins).run())
    await runPhase(wf, 'prepublish', () => new PluginsRunner(wf, implementationOf, 'prepublish', config.prepublish_plugins ?? []).run())
    await runPhase(wf, 'postbuild', () => new PluginsRunner(wf, implementationOf, 'postbuild', config.postbuild_plugins ?? []).run())
  } catch (e) {
    if (e instanceof BuildAborted || wf.host.signal.aborted) throw new BuildAborted()
    failure = asPyException(e)
    point = failure instanceof AutoRebuildCanceledException ? 'cancel' : wf.buildFailReason !== undefined && wf.results.has('docker_api') ? 'buildstep' : 'runner'
    inner.debug(`caught exception (${failure.repr()}) so running exit plugins`)
  }
  try {
    await new PluginsRunner(wf, implementationOf, 'exit', config.exit_plugins ?? [], true).run()
  } catch (e) {
    if (e instanceof BuildAborted || wf.host.signal.aborted) throw new BuildAborted()
    const ex = asPyException(e)
    inner.error(`one or more exit plugins failed: ${ex.message}`)
    failure = ex // replaces an earlier exception, as in Python 2
    point = 'exit'
  }
  if (failure) {
    wf.log.raw(traceback(failure, point))
    return FAILED
  }
  inner.info('build has finished successfully \\o/')
  return succeeded(wf)
}

/** The result of a build that succeeded: the output image, its digest and the Koji build to record. */
function succeeded(wf: Workflow): ReactorResult {
  const digest = wf.pushConf.docker.flatMap((r) => [...r.digests.values()]).map((d) => d.v2)[0] ?? (wf.builtImage ? schema2Manifest(wf.builtImage).digest : undefined)
  return {
    success: true,
    outputDockerImageReference: wf.outputImageFull || undefined,
    ...(digest ? { imageDigest: digest } : {}),
    ...(wf.kojiBuild ? { kojiBuild: wf.kojiBuild } : {})
  }
}

/** Run one phase; log its failure the way inner.py does and re-raise. */
async function runPhase(wf: Workflow, phase: Phase, run: () => Promise<void>): Promise<void> {
  const inner = wf.log.logger('atomic_reactor.inner')
  try {
    await run()
  } catch (e) {
    if (e instanceof AutoRebuildCanceledException) {
      inner.info(e.message)
      wf.autorebuildCanceled = true
      throw e
    }
    if (e instanceof PluginFailedException) {
      if (phase === 'buildstep') inner.error(`buildstep plugin failed: ${e.message}`)
      else inner.error(`one or more ${phase} plugins failed: ${e.message}`)
    }
    throw e
  }
}
