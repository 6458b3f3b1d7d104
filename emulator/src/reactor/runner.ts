/**
 * atomic-reactor 1.6.26.3's plugin runners (`atomic_reactor/plugin.py`: PluginsRunner.run,
 * BuildPluginsRunner.create_instance_from_plugin, `_remove_unknown_args`, BuildStepPluginsRunner) over the
 * catalogue of `catalogue/`: which plugin a phase knows, what is done with its arguments, and when a failure
 * stops the phase.
 */
import { constructorCall, lookup, missingArgumentsMessage, type CatalogueEntry } from './catalogue/index.js'
import { implementationOf } from './plugins/index.js'
import { PyException, pyIsoNow, pyListRepr, pyRepr, pyStr, pyStrRepr } from './util/py.js'
import { AutoRebuildCanceledException, BuildAborted, PluginFailedException, type Workflow, type BuildResult, type Phase, type PluginEntry } from './workflow.js'
import { ImageName } from './util/imagename.js'

const PHASE_NAMES: Record<Phase, string> = {
  prebuild: 'pre-build',
  buildstep: 'build-step',
  prepublish: 'pre-publish',
  postbuild: 'post-build',
  exit: 'exit'
}

/** Replace atomic-reactor's placeholder strings in plugin args (`_translate_special_values`). */
export function substitutePlaceholders(value: unknown, wf: Workflow): unknown {
  if (typeof value === 'string') {
    switch (value) {
      case 'BUILT_IMAGE_ID':
        return wf.builtImage?.imageId ?? null
      case 'BUILD_DOCKERFILE_PATH':
        return wf.dockerfilePath
      case 'BUILD_SOURCE_PATH':
        return wf.sourceDir
      case 'BASE_IMAGE':
        return wf.baseImage?.toString() ?? null
      default:
        return value
    }
  }
  if (Array.isArray(value)) return value.map((v) => substitutePlaceholders(v, wf))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitutePlaceholders(v, wf)]))
  }
  return value
}

export function asPyException(e: unknown): PyException {
  if (e instanceof PyException) return e
  const err = e as Error
  return new PyException(err?.name && err.name !== 'Error' ? err.name : 'RuntimeError', String(err?.message ?? e))
}

/**
 * create_instance_from_plugin: translate the placeholders, drop what the constructor does not take (with the
 * runner's warning), log the arguments, and "call" the constructor: a missing required argument is the TypeError
 * Python raises.
 */
function instantiate(wf: Workflow, entry: CatalogueEntry, args: unknown): Record<string, unknown> {
  const log = wf.log.logger('atomic_reactor.plugin')
  const given = (substitutePlaceholders(args ?? {}, wf) ?? {}) as Record<string, unknown>
  const call = constructorCall(entry, given)
  for (const [k, v] of call.dropped) log.warning(`${entry.className} constructor does not take ${k}=${pyStr(v)} parameter, ignoring it`)
  log.info(`running plugin instance with args: '${pyRepr(call.accepted)}'`)
  if (call.missing.length) throw new PyException('TypeError', missingArgumentsMessage(call.missing))
  return call.accepted
}

export class PluginsRunner {
  private readonly log
  constructor(
    private readonly wf: Workflow,
    private readonly phase: Exclude<Phase, 'buildstep'>,
    private readonly entries: PluginEntry[],
    private readonly keepGoing = false
  ) {
    this.log = wf.log.logger('atomic_reactor.plugin')
  }

  /** Run every entry; throws PluginFailedException / AutoRebuildCanceledException / BuildAborted. */
  async run(): Promise<void> {
    const wf = this.wf
    this.log.info(`initializing runner of ${PHASE_NAMES[this.phase]} plugins`)
    const failedMessages: string[] = []
    for (const request of this.entries) {
      await wf.tick()
      if (!request || typeof request !== 'object' || typeof request.name !== 'string') {
        const msg = `invalid plugin request, no key 'name': ${pyRepr(request)}`
        wf.pluginFailed = true
        if (!this.keepGoing) wf.errors['?'] = new PluginFailedException(msg).repr()
        this.log.error(msg)
        if (this.keepGoing) continue
        throw new PluginFailedException(msg)
      }
      const entry = lookup(request.name, this.phase)
      if (!entry) {
        if (request.required === false) {
          this.log.warning(`plugin '${request.name}' requested but not available`)
          continue
        }
        const msg = `no such plugin: '${request.name}', did you set the correct plugin type?`
        wf.pluginFailed = true
        if (!this.keepGoing) wf.errors[request.name] = new PluginFailedException(msg).repr()
        this.log.error(msg)
        if (this.keepGoing) continue
        throw new PluginFailedException(msg)
      }
      const allowedToFail = typeof request.is_allowed_to_fail === 'boolean' ? request.is_allowed_to_fail : entry.allowedToFail
      this.log.debug(`running plugin '${request.name}'`)
      const started = performance.now()
      let result: unknown
      try {
        const args = instantiate(wf, entry, request.args)
        wf.timestamps[entry.key] = pyIsoNow()
        const fault = wf.host.pluginFault(entry.key)
        if (fault !== undefined) throw new PyException('RuntimeError', fault)
        result = await implementationOf(entry.key).run(wf, args, wf.log.logger(`atomic_reactor.plugins.${entry.key}`))
      } catch (e) {
        if (e instanceof BuildAborted || wf.host.signal.aborted) throw new BuildAborted()
        if (e instanceof AutoRebuildCanceledException) throw e
        const ex = asPyException(e)
        const msg = `plugin '${entry.key}' raised an exception: ${ex.repr()}`
        this.log.debug(
          `Traceback (most recent call last):\n  File "/usr/lib/python2.7/site-packages/atomic_reactor/plugin.py", line 242, in run\n    plugin_response = plugin_instance.run()\n${ex.pyType}: ${ex.message}`
        )
        if (!allowedToFail) {
          wf.pluginFailed = true
          wf.errors[entry.key] = ex.repr()
        }
        if (allowedToFail || this.keepGoing) {
          this.log.warning(msg)
          this.log.info('error is not fatal, continuing...')
          if (!allowedToFail) failedMessages.push(msg)
        } else {
          this.log.error(msg)
          throw new PluginFailedException(msg)
        }
        result = ex
      }
      const seconds = Math.round((performance.now() - started) * 1000) / 1e6
      this.log.debug(`plugin '${request.name}' finished in ${Math.floor(seconds)}s`)
      if (entry.key !== 'store_metadata_in_osv3') wf.durations[entry.key] = seconds
      wf.results.set(entry.key, result)
    }
    if (failedMessages.length === 1) throw new PluginFailedException(failedMessages[0]!)
    if (failedMessages.length > 1) throw new PluginFailedException('Multiple plugins raised an exception: ' + pyListRepr(failedMessages))
  }
}

/**
 * The build step: every listed plugin is `required: false` and may not fail; the first one that gives a result
 * ends it (default `docker_api`).
 */
export async function runBuildStep(wf: Workflow, entries: PluginEntry[] | undefined): Promise<void> {
  const log = wf.log.logger('atomic_reactor.plugin')
  log.info('initializing runner of build-step plugin')
  const list = entries ?? [{ name: 'docker_api', is_allowed_to_fail: false }]
  log.info(`building image ${ImageName.parse(wf.outputImage).repr()} inside current environment`)
  for (const request of list) {
    await wf.tick()
    const entry = lookup(request.name, 'buildstep')
    if (!entry) {
      log.warning(`plugin '${request.name}' requested but not available`)
      continue
    }
    log.debug(`running plugin '${entry.key}'`)
    const started = performance.now()
    let result: BuildResult
    try {
      const args = instantiate(wf, entry, request.args)
      wf.timestamps[entry.key] = pyIsoNow()
      const fault = wf.host.pluginFault(entry.key)
      if (fault !== undefined) result = { failReason: fault }
      else result = (await implementationOf(entry.key).run(wf, args, wf.log.logger(`atomic_reactor.plugins.${entry.key}`))) as BuildResult
    } catch (e) {
      if (e instanceof BuildAborted || wf.host.signal.aborted) throw new BuildAborted()
      const ex = asPyException(e)
      const msg = `plugin '${entry.key}' raised an exception: ${ex.repr()}`
      wf.pluginFailed = true
      wf.errors[entry.key] = ex.repr()
      log.error(msg)
      throw new PluginFailedException(msg)
    }
    wf.results.set(entry.key, result)
    if (result.failReason !== undefined) {
      log.error(`Build step plugin ${entry.key} failed: ${result.failReason}`)
      wf.errors[entry.key] = pyStrRepr(result.failReason, true)
      wf.pluginFailed = true
      wf.buildFailReason = result.failReason
      throw new PluginFailedException(result.failReason)
    }
    const seconds = Math.round((performance.now() - started) * 1000) / 1e6
    log.debug(`plugin '${entry.key}' finished in ${Math.floor(seconds)}s`)
    wf.durations[entry.key] = seconds
    log.debug('stopping further execution of plugins after first successful plugin')
    wf.buildFailReason = undefined
    wf.builtImage = result.image
    wf.imageId = result.image?.imageId ?? ''
    return
  }
  wf.pluginFailed = true
  wf.errors['BuildStepPlugin'] = pyStrRepr('No appropriate build step', true)
  throw new PluginFailedException('No appropriate build step')
}
