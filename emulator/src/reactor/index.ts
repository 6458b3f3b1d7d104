/**
 * The emulated atomic-reactor: what runs in a build "pod" (SPEC §9.4).
 *
 * `runReactor(host)` reads `ATOMIC_REACTOR_PLUGINS` from the Build's custom strategy env, clones the source with the
 * git CLI, reads the Dockerfile and runs the plugins phase by phase with atomic-reactor's failure rules: a failing
 * prebuild / buildstep / prepublish / postbuild plugin that is not allowed to fail stops the build; exit plugins
 * always run (keep going), and a failing one fails the build at the end. Log lines have atomic-reactor's format.
 */
import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReactorHost, ReactorResult } from './host.js'
import { schema2Manifest } from '../registry.js'
import { baseImage as dockerfileBase } from './dockerfile.js'
import { ImageName } from './imagename.js'
import { PLUGINS } from './plugins/index.js'
import { PyException, pyIsoNow, pyListRepr, pyRepr, pyStrRepr } from './py.js'
import { cloneSource, removeCheckout, type Checkout } from './source.js'
import {
  AutoRebuildCanceledException,
  BuildAborted,
  PluginFailedException,
  Workflow,
  type BuildResult,
  type Phase,
  type PluginConfig,
  type PluginEntry
} from './workflow.js'

export type { ReactorHost, ReactorResult } from './host.js'
export { Workflow } from './workflow.js'

const PHASE_NAMES: Record<Phase, string> = {
  prebuild: 'pre-build',
  buildstep: 'build-step',
  prepublish: 'pre-publish',
  postbuild: 'post-build',
  exit: 'exit'
}

const FAILED: Omit<ReactorResult, 'success'> = {
  reason: 'GenericBuildFailed',
  message: 'Generic Build failure - check logs for details.'
}

const CANCELLED: ReactorResult = { success: false, reason: 'CancelledBuild', message: 'The build was cancelled by the user.' }

/** The env of the Build's custom strategy as a map. */
function strategyEnv(host: ReactorHost): Record<string, string> {
  const env = host.build.spec?.strategy?.customStrategy?.env ?? host.build.spec?.strategy?.dockerStrategy?.env ?? []
  const out: Record<string, string> = {}
  if (Array.isArray(env)) for (const e of env) if (e && typeof e.name === 'string' && typeof e.value === 'string') out[e.name] = e.value
  return out
}

/** Where a failure was raised, for the traceback's last frames. */
type FailurePoint = 'buildstep' | 'runner' | 'exit' | 'cancel' | 'setup'

function traceback(error: PyException, point: FailurePoint = 'setup'): string {
  const module = error instanceof AutoRebuildCanceledException || error instanceof PluginFailedException ? 'atomic_reactor.plugin.' : ''
  const lib = '/usr/lib/python2.7/site-packages/atomic_reactor'
  const frames = [
    'Traceback (most recent call last):',
    '  File "/usr/bin/atomic-reactor", line 11, in <module>',
    "    load_entry_point('atomic-reactor==1.6.26.3', 'console_scripts', 'atomic-reactor')()",
    `  File "${lib}/cli/main.py", line 344, in run`,
    '    cli.run()',
    `  File "${lib}/cli/main.py", line 325, in run`,
    '    args.func(args)',
    `  File "${lib}/cli/main.py", line 83, in cli_inside_build`,
    '    substitutions=args.substitute)',
    `  File "${lib}/inner.py", line 644, in build_inside`
  ]
  if (point === 'setup') {
    frames.push('    dbw = DockerBuildWorkflow(**build_json)', `  File "${lib}/inner.py", line 414, in __init__`, '    self.builder = InsideBuilder(self.source, self.image)')
  } else {
    frames.push('    build_result = dbw.build_docker_image()')
    if (point === 'buildstep') frames.push(`  File "${lib}/inner.py", line 541, in build_docker_image`, '    raise PluginFailedException(self.build_result.fail_reason)')
    else if (point === 'exit') {
      frames.push(`  File "${lib}/inner.py", line 585, in build_docker_image`, '    exit_runner.run(keep_going=True)', `  File "${lib}/plugin.py", line 276, in run`, '    raise PluginFailedException(msg)')
    } else if (point === 'cancel') {
      frames.push(`  File "${lib}/inner.py", line 503, in build_docker_image`, '    prebuild_runner.run()', `  File "${lib}/plugin.py", line 221, in run`, '    plugin_response = plugin.run()', `  File "${lib}/plugins/pre_stop_autorebuild_if_disabled.py", line 65, in run`, "    raise AutoRebuildCanceledException(self.key, 'autorebuild is disabled')")
    } else frames.push(`  File "${lib}/inner.py", line 503, in build_docker_image`, '    prebuild_runner.run()', `  File "${lib}/plugin.py", line 252, in run`, '    raise PluginFailedException(msg)')
  }
  frames.push(`${module}${error.pyType}: ${error.message}`)
  return frames.join('\n')
}

/** Replace atomic-reactor's placeholder strings in plugin args. */
function substitutePlaceholders(value: unknown, wf: Workflow): unknown {
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

class PluginsRunner {
  private readonly log
  constructor(
    private readonly wf: Workflow,
    private readonly phase: Phase,
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
    for (const entry of this.entries) {
      await wf.tick()
      const plugin = PLUGINS.get(entry.name)
      if (!plugin || !plugin.phases.includes(this.phase)) {
        if (entry.required === false) {
          this.log.warning(`plugin '${entry.name}' requested but not available`)
          continue
        }
        const msg = `no such plugin: '${entry.name}', did you set the correct plugin type?`
        if (this.keepGoing) {
          this.log.error(msg)
          continue
        }
        throw new PluginFailedException(msg)
      }
      const allowedToFail = entry.is_allowed_to_fail ?? plugin.allowedToFail
      const pluginLog = wf.log.logger(`atomic_reactor.plugins.${plugin.key}`)
      this.log.debug(`running plugin '${plugin.key}'`)
      const raw = (substitutePlaceholders(entry.args ?? {}, wf) ?? {}) as Record<string, unknown>
      const args: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(raw)) {
        if (plugin.args && !plugin.args.includes(k)) this.log.warning(`${plugin.className} constructor does not take ${k}=${pyRepr(v)} parameter, ignoring it`)
        else args[k] = v
      }
      this.log.info(`running plugin instance with args: '${pyRepr(args)}'`)
      wf.timestamps[plugin.key] = pyIsoNow()
      const started = performance.now()
      let result: unknown
      try {
        const fault = wf.host.pluginFault(plugin.key)
        if (fault !== undefined) throw new PyException('RuntimeError', fault)
        result = await plugin.run(wf, args, pluginLog)
      } catch (e) {
        if (e instanceof BuildAborted || wf.host.signal.aborted) throw new BuildAborted()
        if (e instanceof AutoRebuildCanceledException) throw e
        const ex = asPyException(e)
        const msg = `plugin '${plugin.key}' raised an exception: ${ex.repr()}`
        this.log.debug(`Traceback (most recent call last):\n  File "/usr/lib/python2.7/site-packages/atomic_reactor/plugin.py", line 221, in run\n    plugin_response = plugin.run()\n${ex.pyType}: ${ex.message}`)
        if (!allowedToFail) {
          wf.pluginFailed = true
          wf.errors[plugin.key] = ex.repr()
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
      wf.results.set(plugin.key, result)
      const seconds = Math.round((performance.now() - started) * 1000) / 1e6
      this.log.debug(`plugin '${plugin.key}' finished in ${Math.floor(seconds)}s`)
      if (plugin.key !== 'store_metadata_in_osv3') wf.durations[plugin.key] = seconds
    }
    if (failedMessages.length === 1) throw new PluginFailedException(failedMessages[0]!)
    if (failedMessages.length > 1) throw new PluginFailedException('Multiple plugins raised an exception: ' + pyListRepr(failedMessages))
  }
}

/** The build step: the first build-step plugin that gives a result ends it (default `docker_api`). */
async function runBuildStep(wf: Workflow, entries: PluginEntry[] | undefined): Promise<void> {
  const log = wf.log.logger('atomic_reactor.plugin')
  log.info('initializing runner of build-step plugin')
  const list = entries ?? [{ name: 'docker_api', is_allowed_to_fail: false }]
  for (const entry of list) {
    await wf.tick()
    const plugin = PLUGINS.get(entry.name)
    if (!plugin || !plugin.phases.includes('buildstep')) {
      log.warning(`plugin '${entry.name}' requested but not available`)
      continue
    }
    log.debug(`running plugin '${plugin.key}'`)
    log.info(`running plugin instance with args: '${pyRepr(entry.args ?? {})}'`)
    log.info(`building image ${ImageName.parse(wf.outputImage).repr()} inside current environment`)
    wf.timestamps[plugin.key] = pyIsoNow()
    const started = performance.now()
    let result: BuildResult
    const fault = wf.host.pluginFault(plugin.key)
    if (fault !== undefined) result = { failReason: fault }
    else {
      try {
        result = (await plugin.run(wf, entry.args ?? {}, wf.log.logger(`atomic_reactor.plugins.${plugin.key}`))) as BuildResult
      } catch (e) {
        if (e instanceof BuildAborted || wf.host.signal.aborted) throw new BuildAborted()
        result = { failReason: String((e as Error)?.message ?? e) }
      }
    }
    wf.results.set(plugin.key, result)
    if (result.failReason !== undefined) {
      log.error(`Build step plugin ${plugin.key} failed: ${result.failReason}`)
      wf.errors[plugin.key] = pyStrRepr(result.failReason, true)
      wf.pluginFailed = true
      wf.buildFailReason = result.failReason
      throw new PluginFailedException(result.failReason)
    }
    const seconds = Math.round((performance.now() - started) * 1000) / 1e6
    log.debug(`plugin '${plugin.key}' finished in ${Math.floor(seconds)}s`)
    wf.durations[plugin.key] = seconds
    wf.buildFailReason = undefined
    wf.builtImage = result.image
    wf.imageId = result.image?.imageId ?? ''
    return
  }
  throw new PluginFailedException('No appropriate build step')
}

/** Run one build (one pod). Never throws: a failure is a `{success: false}` result. */
export async function runReactor(host: ReactorHost): Promise<ReactorResult> {
  const env = strategyEnv(host)
  let config: PluginConfig
  const early = new Workflow(host, {})
  const inputLog = early.log.logger('atomic_reactor.plugins.input_osv3')
  try {
    let text = env['ATOMIC_REACTOR_PLUGINS']
    if (text === undefined && env['DOCK_PLUGINS'] !== undefined) {
      inputLog.warning('DOCK_PLUGINS is deprecated - please update your osbs-client!')
      text = env['DOCK_PLUGINS']
    }
    if (text === undefined) throw new PyException('RuntimeError', 'No plugin configuration found!')
    try {
      config = JSON.parse(text) as PluginConfig
    } catch (e) {
      throw new PyException('ValueError', `No JSON object could be decoded: ${(e as Error).message}`)
    }
    if (!config || typeof config !== 'object' || Array.isArray(config)) throw new PyException('RuntimeError', 'plugin configuration is not a JSON object')
  } catch (e) {
    const ex = e as PyException
    early.log.logger('atomic_reactor.cli.main').error(`exception caught: ${ex.repr()}`)
    early.log.raw(traceback(ex))
    return { success: false, ...FAILED }
  }
  const wf = new Workflow(host, config)
  if (config.client_version) inputLog.debug(`build json was built by osbs-client ${config.client_version}`)
  const known = new Set(['client_version', 'prebuild_plugins', 'buildstep_plugins', 'prepublish_plugins', 'postbuild_plugins', 'exit_plugins'])
  const extra = Object.keys(config).filter((k) => !known.has(k))
  if (extra.length) {
    inputLog.warning(`unprocessed keyword arguments: {${extra.map((k) => `${pyStrRepr(k, true)}: ${pyRepr((config as any)[k])}`).join(', ')}}`)
  }

  const inner = wf.log.logger('atomic_reactor.inner')
  let checkout: Checkout | undefined
  try {
    // --- InsideBuilder: clone and find the Dockerfile (outside the try: no exit plugins when this fails) ---
    const git = host.build.spec?.source?.git ?? {}
    const uri: string | undefined = git.uri
    const check = config.prebuild_plugins?.find((p) => p.name === 'check_and_set_rebuild')
    const labelKey = String(check?.args?.label_key ?? 'is_autorebuild')
    const labelValue = String(check?.args?.label_value ?? 'true')
    const rebuild = !!check && host.build.metadata.labels?.[labelKey] === labelValue
    const bump = config.prebuild_plugins?.find((p) => p.name === 'bump_release')
    const commit: string | undefined = rebuild ? undefined : ((bump?.args?.git_ref as string | undefined) || host.build.spec?.revision?.git?.commit || undefined)
    const sourceLog = wf.log.logger('atomic_reactor.source')
    try {
      if (!uri) throw new PyException('RuntimeError', 'No source URI: spec.source.git.uri is empty')
      await wf.tick()
      checkout = await cloneSource(uri, git.ref, commit, wf.log.logger('atomic_reactor.util'), host.signal)
    } catch (e) {
      if (host.signal.aborted) throw new BuildAborted()
      const ex = e instanceof PyException ? e : new PyException('OSError', (e as Error).message + ((e as { stderr?: string }).stderr ? `: ${(e as { stderr?: string }).stderr!.trim()}` : ''))
      sourceLog.error(`failed to clone the source: ${ex.message}`)
      wf.log.logger('atomic_reactor.cli.main').error(`exception caught: ${ex.repr()}`)
      wf.log.raw(traceback(ex))
      return { success: false, ...FAILED }
    }
    wf.workDir = checkout.workDir
    wf.sourceDir = checkout.dir
    wf.commitId = checkout.commitId
    wf.commitTime = checkout.commitTime
    wf.dockerfilePath = join(checkout.dir, 'Dockerfile')
    try {
      await access(wf.dockerfilePath)
      wf.originalDockerfile = await readFile(wf.dockerfilePath, 'utf8')
    } catch {
      const ex = new PyException('IOError', `Dockerfile '${wf.dockerfilePath}' doesn't exist.`)
      wf.log.logger('atomic_reactor.cli.main').error(`exception caught: ${ex.repr()}`)
      wf.log.raw(traceback(ex))
      return { success: false, ...FAILED }
    }
    wf.dockerfile = wf.originalDockerfile
    const base = dockerfileBase(wf.parsedDockerfile)
    if (base) {
      const name = ImageName.parse(base)
      if (!name.tag) name.tag = 'latest'
      wf.baseImage = name
      wf.baseImageName = name.toString()
    }
    sourceLog.debug(`Dockerfile found at '${wf.dockerfilePath}'`)
    inner.info(`base image = '${wf.baseImageName}'`)

    // --- DockerBuildWorkflow.build_docker_image ---
    let failure: PyException | undefined
    let point: FailurePoint = 'runner'
    try {
      inner.info('running pre-build plugins')
      await runPhase(wf, 'prebuild', () => new PluginsRunner(wf, 'prebuild', config.prebuild_plugins ?? []).run())
      inner.info('running buildstep plugins')
      await runPhase(wf, 'buildstep', () => runBuildStep(wf, config.buildstep_plugins))
      inner.info('running pre-publish plugins')
      await runPhase(wf, 'prepublish', () => new PluginsRunner(wf, 'prepublish', config.prepublish_plugins ?? []).run())
      inner.info('running post-build plugins')
      await runPhase(wf, 'postbuild', () => new PluginsRunner(wf, 'postbuild', config.postbuild_plugins ?? []).run())
    } catch (e) {
      if (e instanceof BuildAborted || host.signal.aborted) throw new BuildAborted()
      failure = asPyException(e)
      point = failure instanceof AutoRebuildCanceledException ? 'cancel' : wf.buildFailReason !== undefined && wf.results.has('docker_api') ? 'buildstep' : 'runner'
      inner.debug(`caught exception (${failure.repr()}) so running exit plugins`)
    }
    // exit plugins always run
    try {
      inner.info('running exit plugins')
      await new PluginsRunner(wf, 'exit', config.exit_plugins ?? [], true).run()
    } catch (e) {
      if (e instanceof BuildAborted || host.signal.aborted) throw new BuildAborted()
      const ex = asPyException(e)
      inner.error(`one or more exit plugins failed: ${ex.message}`)
      failure = ex // replaces an earlier exception, as in Python 2
      point = 'exit'
    }
    if (failure) {
      wf.log.raw(traceback(failure, point))
      return { success: false, ...FAILED }
    }
    inner.info('build has finished successfully \\o/')
    const digest = wf.pushConf.docker.flatMap((r) => [...r.digests.values()]).map((d) => d.v2)[0] ?? (wf.builtImage ? schema2Manifest(wf.builtImage).digest : undefined)
    return {
      success: true,
      outputDockerImageReference: wf.outputImageFull || undefined,
      ...(digest ? { imageDigest: digest } : {})
    }
  } catch (e) {
    if (e instanceof BuildAborted || host.signal.aborted) return CANCELLED
    // an emulator bug: report it like an unexpected Python exception
    const ex = new PyException('RuntimeError', String((e as Error)?.stack ?? e))
    wf.log.logger('atomic_reactor.cli.main').error(`exception caught: ${ex.repr()}`)
    return { success: false, ...FAILED }
  } finally {
    await removeCheckout(checkout).catch(() => undefined)
  }
}

function asPyException(e: unknown): PyException {
  if (e instanceof PyException) return e
  const err = e as Error
  return new PyException(err?.name && err.name !== 'Error' ? err.name : 'RuntimeError', String(err?.message ?? e))
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
