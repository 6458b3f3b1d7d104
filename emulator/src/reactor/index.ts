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
import { baseImage as dockerfileBase } from './util/dockerfile.js'
import { ImageName } from './util/imagename.js'
import { PyException, pyRepr, pyStrRepr } from './util/py.js'
import { asPyException, PluginsRunner, runBuildStep } from './runner.js'
import { cloneSource, removeCheckout, type Checkout } from './source.js'
import { AutoRebuildCanceledException, BuildAborted, PluginFailedException, Workflow, type Phase, type PluginConfig } from './workflow.js'

export type { ReactorHost, ReactorResult } from './host.js'
export { Workflow } from './workflow.js'

const FAILED: Omit<ReactorResult, 'success'> = {
  reason: 'GenericBuildFailed',
  message: 'Generic Build failure - check logs for details.'
}

const CANCELLED: ReactorResult = { success: false, reason: 'CancelledBuild', message: 'The build was cancelled by the user.' }

/** Where a failure was raised, for the traceback's last frames. */
type FailurePoint = 'buildstep' | 'runner' | 'exit' | 'cancel' | 'setup'

function traceback(error: PyException, point: FailurePoint = 'setup'): string {
  const module = error instanceof AutoRebuildCanceledException || error instanceof PluginFailedException ? 'atomic_reactor.plugin.' : ''
  const lib = '/usr/lib/python2.7/site-packages/atomic_reactor'
  const frames = [
    'Traceback (most recent call last):',
    '  File "/usr/bin/atomic-reactor", line 11, in <module>',
    "    load_entry_point('atomic-reactor==1.6.26.3', 'console_scripts', 'atomic-reactor')()",
    `  File "${lib}/cli/main.py", line 311, in run`,
    '    cli.run()',
    `  File "${lib}/cli/main.py", line 294, in run`,
    '    args.func(args)',
    `  File "${lib}/cli/main.py", line 95, in cli_inside_build`,
    '    substitutions=args.substitute)',
    `  File "${lib}/inner.py", line 482, in build_inside`
  ]
  if (point === 'setup') {
    frames.push('    build_result = dbw.build_docker_image()', `  File "${lib}/inner.py", line 370, in build_docker_image`, '    self.builder = InsideBuilder(self.source, self.image)')
  } else {
    frames.push('    build_result = dbw.build_docker_image()')
    if (point === 'buildstep') frames.push(`  File "${lib}/inner.py", line 396, in build_docker_image`, '    raise PluginFailedException(self.build_result.fail_reason)')
    else if (point === 'exit') {
      frames.push(
        `  File "${lib}/inner.py", line 437, in build_docker_image`,
        '    exit_runner.run(keep_going=True)',
        `  File "${lib}/plugin.py", line 305, in run`,
        '    raise PluginFailedException(failed_msgs[0])'
      )
    } else if (point === 'cancel') {
      frames.push(
        `  File "${lib}/inner.py", line 379, in build_docker_image`,
        '    prebuild_runner.run()',
        `  File "${lib}/plugin.py", line 242, in run`,
        '    plugin_response = plugin_instance.run()',
        `  File "${lib}/plugins/pre_stop_autorebuild_if_disabled.py", line 70, in run`,
        "    raise AutoRebuildCanceledException(self.key, 'autorebuild is disabled')"
      )
    } else frames.push(`  File "${lib}/inner.py", line 379, in build_docker_image`, '    prebuild_runner.run()', `  File "${lib}/plugin.py", line 282, in run`, '    raise PluginFailedException(msg)')
  }
  frames.push(`${module}${error.pyType}: ${error.message}`)
  return frames.join('\n')
}

/** Run one build (one pod). Never throws: a failure is a `{success: false}` result. */
export async function runReactor(host: ReactorHost): Promise<ReactorResult> {
  const env = host.env
  let config: PluginConfig
  const early = new Workflow(host, {})
  const inputLog = early.log.logger('atomic_reactor.plugins.osv3')
  // build_inside: the input plugin runs first, through its own runner
  early.log.logger('atomic_reactor.inner').info('log encoding: UTF-8')
  early.log.logger('atomic_reactor.inner').debug('getting build json from input osv3')
  early.log.logger('atomic_reactor.plugin').debug("running plugin 'osv3'")
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
  // input_osv3: the removed dockerfile_content plugin is dropped from the request (its first occurrence)
  const dockerfileContent = (config.prebuild_plugins ?? []).findIndex((p) => p?.name === 'dockerfile_content')
  if (dockerfileContent >= 0) {
    inputLog.info('removing dockerfile_content plugin request; please update your osbs-client!')
    config.prebuild_plugins!.splice(dockerfileContent, 1)
  }
  const wf = new Workflow(host, config)
  early.log.logger('atomic_reactor.plugin').debug("plugin 'osv3' finished in 0s")
  if (config.client_version) wf.log.logger('atomic_reactor.inner').debug(`build json was built by osbs-client ${config.client_version}`)
  const known = new Set(['client_version', 'prebuild_plugins', 'buildstep_plugins', 'prepublish_plugins', 'postbuild_plugins', 'exit_plugins'])
  const extra = Object.keys(config).filter((k) => !known.has(k))
  if (extra.length) {
    inputLog.warning(`unprocessed keyword arguments: {${extra.map((k) => `${pyStrRepr(k, true)}: ${pyRepr((config as any)[k])}`).join(', ')}}`)
  }

  const inner = wf.log.logger('atomic_reactor.inner')
  let checkout: Checkout | undefined
  try {
    // --- InsideBuilder: clone and find the Dockerfile (outside the try: no exit plugins when this fails) ---
    // input_osv3: the source is SOURCE_URI at SOURCE_REF (the pod's env, host.env), the image OUTPUT_IMAGE
    const uri = env['SOURCE_URI']
    const ref = env['SOURCE_REF']
    const sourceLog = wf.log.logger('atomic_reactor.source')
    try {
      if (!uri) throw new PyException('KeyError', 'SOURCE_URI')
      if (env['OUTPUT_IMAGE'] === undefined) throw new PyException('KeyError', 'OUTPUT_IMAGE')
      await wf.tick()
      checkout = await cloneSource(uri, ref, wf.log.logger('atomic_reactor.util'), host.signal)
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
      await runPhase(wf, 'prepublish', () => new PluginsRunner(wf, 'prepublish', config.prepublish_plugins ?? []).run())
      await runPhase(wf, 'postbuild', () => new PluginsRunner(wf, 'postbuild', config.postbuild_plugins ?? []).run())
    } catch (e) {
      if (e instanceof BuildAborted || host.signal.aborted) throw new BuildAborted()
      failure = asPyException(e)
      point = failure instanceof AutoRebuildCanceledException ? 'cancel' : wf.buildFailReason !== undefined && wf.results.has('docker_api') ? 'buildstep' : 'runner'
      inner.debug(`caught exception (${failure.repr()}) so running exit plugins`)
    }
    // exit plugins always run
    try {
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
      ...(digest ? { imageDigest: digest } : {}),
      ...(wf.kojiBuild ? { kojiBuild: wf.kojiBuild } : {})
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
