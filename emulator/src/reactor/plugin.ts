/**
 * atomic-reactor 1.6.26.3's plugins and their runners (`atomic_reactor/plugin.py`): what a plugin is — its key,
 * every argument's default and its `run()` (`definePlugin`) — and the runners over the catalogue of `catalogue/`
 * (PluginsRunner.run, BuildPluginsRunner.create_instance_from_plugin, `_remove_unknown_args`,
 * BuildStepPluginsRunner): which plugin a phase knows, what is done with its arguments, and when a failure stops
 * the phase. The runners know plugins only through the table they are given (`plugins/index.ts`).
 */
import { constructorCall, lookup, missingArgumentsMessage, type CatalogueEntry } from './catalogue/index.js'
import { ImageName } from './util/imagename.js'
import type { Logger } from './util/log.js'
import { PyException, pyIsoNow, pyListRepr, pyRepr, pyStr, pyStrRepr } from './util/py.js'
import { AutoRebuildCanceledException, BuildAborted, PluginFailedException, type BuildResult, type Phase, type PluginEntry, type Workflow } from './workflow.js'

/** Arguments' defaults by name: what the plugin takes when an argument is absent (or null). */
export type Defaults = Readonly<Record<string, unknown>>

/**
 * One plugin, as atomic-reactor's class: its key, every argument with its default (as its `__init__` has them),
 * and what it does when it runs. Its class name, phases and signature come from the catalogue (`catalogue/`).
 */
export interface Plugin {
  readonly key: string
  readonly defaults: Defaults
  /** `args`: what the constructor accepted, with the defaults of the arguments not given. */
  run(wf: Workflow, args: Record<string, any>, log: Logger): Promise<unknown>
}

/** A plugin's definition: `definePlugin({ key, defaults, run })`, one per file of `plugins/`, named by its module. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin
}

/** What the runners know of plugins: the implementation of a catalogue key. */
export type PluginTable = (key: string) => Plugin

/** The arguments `run()` gets: the accepted ones, and each default whose argument is absent or null. */
export function withDefaults(defaults: Defaults, accepted: Record<string, unknown>): Record<string, unknown> {
  const args = { ...accepted }
  for (const [k, v] of Object.entries(defaults)) if (args[k] === undefined || args[k] === null) args[k] = v
  return args
}

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

/** Make the plugin's instance and note its start; the fault a test asked this plugin to raise, if any. */
function start(wf: Workflow, entry: CatalogueEntry, request: PluginEntry): { args: Record<string, unknown>; fault: string | undefined } {
  const args = instantiate(wf, entry, request.args)
  wf.timestamps[entry.key] = pyIsoNow()
  return { args, fault: wf.host.pluginFault(entry.key) }
}

/** The plugin's `run()`, with the defaults of the arguments not given. */
function runPlugin(wf: Workflow, plugins: PluginTable, key: string, accepted: Record<string, unknown>): Promise<unknown> {
  const plugin = plugins(key)
  return plugin.run(wf, withDefaults(plugin.defaults, accepted), wf.log.logger(`atomic_reactor.plugins.${key}`))
}

const seconds = (started: number) => Math.round((performance.now() - started) * 1000) / 1e6

export class PluginsRunner {
  private readonly log
  private readonly failedMessages: string[] = []

  constructor(
    private readonly wf: Workflow,
    private readonly plugins: PluginTable,
    private readonly phase: Exclude<Phase, 'buildstep'>,
    private readonly entries: PluginEntry[],
    private readonly keepGoing = false
  ) {
    this.log = wf.log.logger('atomic_reactor.plugin')
  }

  /** Run every entry; throws PluginFailedException / AutoRebuildCanceledException / BuildAborted. */
  async run(): Promise<void> {
    this.log.info(`initializing runner of ${PHASE_NAMES[this.phase]} plugins`)
    for (const request of this.entries) {
      await this.wf.tick()
      const entry = this.load(request)
      if (entry) await this.runOne(entry, request)
    }
    const failed = this.failedMessages
    if (failed.length === 1) throw new PluginFailedException(failed[0]!)
    if (failed.length > 1) throw new PluginFailedException('Multiple plugins raised an exception: ' + pyListRepr(failed))
  }

  /** The catalogue entry of a request; undefined to skip it (a missing plugin that is not required, or kept going). */
  private load(request: PluginEntry): CatalogueEntry | undefined {
    if (!request || typeof request !== 'object' || typeof request.name !== 'string') {
      return this.loadFailed('?', `invalid plugin request, no key 'name': ${pyRepr(request)}`)
    }
    const entry = lookup(request.name, this.phase)
    if (entry) return entry
    if (request.required === false) {
      this.log.warning(`plugin '${request.name}' requested but not available`)
      return undefined
    }
    return this.loadFailed(request.name, `no such plugin: '${request.name}', did you set the correct plugin type?`)
  }

  private loadFailed(key: string, msg: string): undefined {
    this.wf.pluginFailed = true
    if (!this.keepGoing) this.wf.errors[key] = new PluginFailedException(msg).repr()
    this.log.error(msg)
    if (this.keepGoing) return undefined
    throw new PluginFailedException(msg)
  }

  private async runOne(entry: CatalogueEntry, request: PluginEntry): Promise<void> {
    const wf = this.wf
    const allowedToFail = typeof request.is_allowed_to_fail === 'boolean' ? request.is_allowed_to_fail : entry.allowedToFail
    this.log.debug(`running plugin '${request.name}'`)
    const started = performance.now()
    let result: unknown
    try {
      const { args, fault } = start(wf, entry, request)
      if (fault !== undefined) throw new PyException('RuntimeError', fault)
      result = await runPlugin(wf, this.plugins, entry.key, args)
    } catch (e) {
      if (e instanceof BuildAborted || wf.host.signal.aborted) throw new BuildAborted()
      if (e instanceof AutoRebuildCanceledException) throw e
      result = this.failed(entry, asPyException(e), allowedToFail)
    }
    const took = seconds(started)
    this.log.debug(`plugin '${request.name}' finished in ${Math.floor(took)}s`)
    if (entry.key !== 'store_metadata_in_osv3') wf.durations[entry.key] = took
    wf.results.set(entry.key, result)
  }

  /** A plugin raised `ex`: recorded, and fatal unless it may fail or the runner keeps going. */
  private failed(entry: CatalogueEntry, ex: PyException, allowedToFail: boolean): PyException {
    const msg = `plugin '${entry.key}' raised an exception: ${ex.repr()}`
    this.log.debug(
      `Traceback (most recent call last):\n  File "/usr/lib/python2.7/site-packages/atomic_reactor/plugin.py", line 242, in run\n    plugin_response = plugin_instance.run()\n${ex.pyType}: ${ex.message}`
    )
    if (!allowedToFail) {
      this.wf.pluginFailed = true
      this.wf.errors[entry.key] = ex.repr()
    }
    if (!allowedToFail && !this.keepGoing) {
      this.log.error(msg)
      throw new PluginFailedException(msg)
    }
    this.log.warning(msg)
    this.log.info('error is not fatal, continuing...')
    if (!allowedToFail) this.failedMessages.push(msg)
    return ex
  }
}

/**
 * The build step: every listed plugin is `required: false` and may not fail; the first one that gives a result
 * ends it (default `docker_api`).
 */
export class BuildStepPluginsRunner {
  private readonly log

  constructor(
    private readonly wf: Workflow,
    private readonly plugins: PluginTable,
    private readonly entries: PluginEntry[] | undefined
  ) {
    this.log = wf.log.logger('atomic_reactor.plugin')
  }

  async run(): Promise<void> {
    const wf = this.wf
    this.log.info('initializing runner of build-step plugin')
    const list = this.entries ?? [{ name: 'docker_api', is_allowed_to_fail: false }]
    this.log.info(`building image ${ImageName.parse(wf.outputImage).repr()} inside current environment`)
    for (const request of list) {
      await wf.tick()
      const entry = lookup(request.name, 'buildstep')
      if (!entry) {
        this.log.warning(`plugin '${request.name}' requested but not available`)
        continue
      }
      await this.runOne(entry, request)
      return
    }
    wf.pluginFailed = true
    wf.errors['BuildStepPlugin'] = pyStrRepr('No appropriate build step', true)
    throw new PluginFailedException('No appropriate build step')
  }

  /** Run one build-step plugin: its image, or PluginFailedException with the build's fail reason. */
  private async runOne(entry: CatalogueEntry, request: PluginEntry): Promise<void> {
    const wf = this.wf
    this.log.debug(`running plugin '${entry.key}'`)
    const started = performance.now()
    let result: BuildResult
    try {
      const { args, fault } = start(wf, entry, request)
      // an injected fault is a failed build step with its message
      result = fault !== undefined ? { failReason: fault } : ((await runPlugin(wf, this.plugins, entry.key, args)) as BuildResult)
    } catch (e) {
      if (e instanceof BuildAborted || wf.host.signal.aborted) throw new BuildAborted()
      const ex = asPyException(e)
      const msg = `plugin '${entry.key}' raised an exception: ${ex.repr()}`
      wf.pluginFailed = true
      wf.errors[entry.key] = ex.repr()
      this.log.error(msg)
      throw new PluginFailedException(msg)
    }
    wf.results.set(entry.key, result)
    if (result.failReason !== undefined) {
      this.log.error(`Build step plugin ${entry.key} failed: ${result.failReason}`)
      wf.errors[entry.key] = pyStrRepr(result.failReason, true)
      wf.pluginFailed = true
      wf.buildFailReason = result.failReason
      throw new PluginFailedException(result.failReason)
    }
    const took = seconds(started)
    this.log.debug(`plugin '${entry.key}' finished in ${Math.floor(took)}s`)
    wf.durations[entry.key] = took
    this.log.debug('stopping further execution of plugins after first successful plugin')
    wf.buildFailReason = undefined
    wf.builtImage = result.image
    wf.imageId = result.image?.imageId ?? ''
  }
}
