/**
 * The OSBS build flow of SPEC §6.1–§6.6 as a library function: `createBuild(plan, client, reporter, options)`.
 * It reports only through the Reporter and needs nothing of the GitHub toolkit.
 *
 *   discovery check → secret check → base ImageStream notice → BuildConfig (collision check, running-build policy, create/update with
 *   conflict retry) → instantiate or adopt → log follow ‖ wait by watch → the image's ImageStream (Complete builds) → outputs and summary.
 *
 * Timeout (`timeout-minutes`) and the caller's abort signal (SIGINT/SIGTERM) cancel the build.
 */
import { randomUUID } from 'node:crypto'
import { isDenied, isNotFound, type Cluster, type KubeObject } from '../cluster.js'
import { buildConfigJson, outputsFrom, pluginErrorMessages, readBuild, type BuildFacts } from '../outputs.js'
import type { BuildPlan } from '../plan.js'
import type { Reporter } from '../reporter.js'
import { renderSummary } from '../summary.js'
import { applyBuildConfig } from './buildconfig.js'
import { BuildEnd, isTerminal, phaseOf, requestCancel, runningPolicyBeforeWrite, waitForTerminal } from './builds.js'
import { readBaseImageStream, readSecrets, reportBaseImageStream, reportSecrets } from './checks.js'
import { LogFollower } from './follow.js'
import { updateImageStream, type ImageStreamUpdate } from './image-stream.js'
import { awaitRequested, readTriggerTag, startOrAdopt } from './start.js'
import { STATE_BUILD_FINISHED, STATE_BUILD_LEFT_RUNNING, STATE_BUILD_NAME } from './state.js'

export { applyBuildConfig, checkCollision, mergeBuildConfig } from './buildconfig.js'
export { checkBaseImageStream, checkSecrets } from './checks.js'
export { applyRunningPolicy, isTerminal, runningBuilds, waitForTerminal, requestCancel } from './builds.js'
export { followLog, LogFollower, LogPrinter } from './follow.js'
export { importedTags, tagsOfBuild, updateImageStream, type ImageStreamUpdate, type ImportedTag } from './image-stream.js'
export { buildRequest, startOrAdopt, triggerMayFire, REQUEST_ID_ANNOTATION } from './start.js'

export { STATE_BUILD_FINISHED, STATE_BUILD_LEFT_RUNNING, STATE_BUILD_NAME } from './state.js'

export interface CreateBuildOptions {
  /** Aborting it (SIGINT/SIGTERM) cancels the build and ends the run. `reason` says why (e.g. "SIGINT"). */
  signal?: AbortSignal
  /** Default: plan.settings.timeoutMinutes. */
  timeoutMs?: number
  /** Default: plan.settings.followLogs. */
  followLogs?: boolean
  /** Default: plan.settings.wait. */
  wait?: boolean
  /** How long to watch for a build OpenShift starts by itself after the write (default 3 s). */
  adoptWindowMs?: number
  /** Console URL of a build, when the caller knows how to make one (default: from the cluster's console URL). */
  consoleUrl?: (namespace: string, build: string) => string | undefined
  /** Awaited while streaming the log (backpressure of the job log). */
  drain?: () => Promise<void>
  /** How long the cancellation may take before the run gives up waiting for Cancelled; also how long the build of an instantiate cut short is looked for. */
  cancelGraceMs?: number
  /** How long the log stream may go on after the build ended before it is stopped and the final log read (default 30 s). */
  logGraceMs?: number
  /** How long to wait for OpenShift to import the built image's ImageStream after a Complete build (default 60 s). */
  importWaitMs?: number
}

export interface BuildResult {
  success: boolean
  buildConfig: string
  buildName?: string
  /** OpenShift started the build (image change) and this run followed it. */
  adopted: boolean
  phase?: string
  /** Why the run failed, for setFailed. */
  failure?: string
  /** The failure was already reported as error annotations (the plugin errors): only the exit code is left. */
  failureReported?: boolean
  build?: KubeObject
  facts?: BuildFacts
  /** The built image's ImageStream, written and imported after a Complete build. */
  imageStream?: ImageStreamUpdate
  outputs: Record<string, string>
  /** Markdown for the job summary. */
  summary: string
}

class RunAborted extends Error {
  constructor(readonly why: string) {
    super(why)
    this.name = 'RunAborted'
  }
}

function abortReason(signal: AbortSignal): string {
  const reason = signal.reason
  if (typeof reason === 'string') return reason
  if (reason instanceof RunAborted) return reason.why
  if (reason instanceof Error && reason.message && reason.name !== 'AbortError') return reason.message
  return 'the run was cancelled'
}

/** The API URL of a build (the cluster module builds every URL). */
function apiUrl(client: Cluster, build: string): string {
  return client.objectUrl('build', 'builds', build)
}

/** Run the whole flow. Never throws for a build that fails or is cancelled: the result says so. Throws for
 * problems before a build exists (unreachable cluster, missing secret, collision, on-running-build fail). */
export async function createBuild(plan: BuildPlan, client: Cluster, reporter: Reporter, options: CreateBuildOptions = {}): Promise<BuildResult> {
  const settings = plan.settings
  const timeoutMs = options.timeoutMs ?? settings.timeoutMinutes * 60_000
  const follow = options.followLogs ?? settings.followLogs
  const waitForEnd = options.wait ?? settings.wait
  const run = new AbortController()
  const timer = setTimeout(() => run.abort(new RunAborted(`timeout-minutes (${settings.timeoutMinutes}) passed`)), Math.min(timeoutMs, 2 ** 31 - 1))
  const onOuterAbort = (): void => run.abort(new RunAborted(abortReason(options.signal!)))
  if (options.signal?.aborted) onOuterAbort()
  options.signal?.addEventListener('abort', onOuterAbort, { once: true })
  const signal = run.signal
  const bcName = plan.buildConfigName
  const requestId = randomUUID()
  let build: KubeObject | undefined
  let buildUrl: string | undefined
  let adopted = false
  let instantiateSent = false
  let configJson: string | undefined

  const finish = (partial: Omit<BuildResult, 'summary' | 'outputs' | 'buildConfig' | 'adopted'> & { outputs?: Record<string, string> }): BuildResult => {
    const result: BuildResult = { buildConfig: bcName, adopted, outputs: {}, summary: '', ...partial }
    // The base image is the Dockerfile's: atomic-reactor 1.6.26.3's base-image-name annotation names the build
    // itself once pull_base_image has re-tagged the parent image with the build's name.
    if (result.facts) result.facts = { ...result.facts, baseImage: plan.baseImage ?? undefined }
    if (result.facts) {
      result.outputs = outputsFrom(result.facts, {
        baseImageStreamTag: plan.baseImageStreamTag,
        autorebuild: plan.autorebuild.enabled
      })
      result.summary = renderSummary({
        facts: result.facts,
        autorebuild: plan.autorebuild,
        baseImageStreamTag: plan.baseImageStreamTag,
        adopted,
        failure: result.failure,
        notWaited: !waitForEnd,
        imageStream: result.imageStream
      })
    }
    for (const [key, value] of Object.entries(result.outputs)) reporter.setOutput(key, value)
    if (configJson !== undefined) result.outputs['build-config-json'] = configJson
    return result
  }

  try {
    reporter.startGroup(`OpenShift ${client.server}, namespace ${client.namespace}`)
    // The first reads do not depend on each other: they go out together and are judged in this order (§6.1
    // discovery, §5.3 secrets, §5.4 base ImageStream, §5.1 the BuildConfig, §6.3 the trigger's tag, the console).
    const first = {
      api: client.checkBuildApi(signal),
      secrets: readSecrets(plan, client, signal),
      baseStream: readBaseImageStream(plan, client, signal),
      buildConfig: client.getBuildConfig(bcName, signal),
      triggerTag: readTriggerTag(client, plan.buildConfig, signal),
      console: options.consoleUrl ? Promise.resolve(undefined) : client.consoleUrl(signal).catch(() => undefined)
    }
    // Each is awaited below; one that fails after an earlier verdict ended the run is of no interest.
    for (const read of Object.values(first)) (read as Promise<unknown>).catch(() => {})
    try {
      await first.api
      reportSecrets(await first.secrets, reporter)
      reportBaseImageStream(await first.baseStream, reporter)
      // §5.1 BuildConfig, with §6.2 the running-build policy before the write
      const applied = await applyBuildConfig(client, plan.buildConfig, reporter, {
        signal,
        firstRead: first.buildConfig,
        beforeWrite: runningPolicyBeforeWrite(client, bcName, settings.onRunningBuild, reporter, signal)
      })
      // On the cluster as rendered: said now, so that a run that fails after this has it too.
      configJson = buildConfigJson(plan.buildConfig)
      reporter.setOutput('build-config-json', configJson)
      // §6.3 start or adopt
      const started = await startOrAdopt(client, plan, applied.buildConfig, reporter, {
        signal,
        adoptWindowMs: options.adoptWindowMs,
        requestId,
        triggerTag: first.triggerTag,
        lastVersion: settings.onRunningBuild === 'fail' ? Number(applied.buildConfig.status?.lastVersion ?? 0) : undefined,
        onInstantiate: () => (instantiateSent = true)
      })
      build = started.build
      adopted = started.adopted
    } finally {
      reporter.endGroup()
    }
    const name = build.metadata.name
    reporter.saveState(STATE_BUILD_NAME, name)
    buildUrl = options.consoleUrl?.(client.namespace, name) ?? (await client.buildPageUrl(name, signal, first.console))
    reporter.info(`Build ${name}: ${buildUrl}`)

    if (!waitForEnd) {
      reporter.saveState(STATE_BUILD_LEFT_RUNNING, 'true')
      const facts = readBuild(build, { buildConfig: bcName, registries: settings.registries, buildUrl })
      return finish({ success: true, buildName: name, phase: phaseOf(build), build, facts })
    }

    // §6.4 logs ‖ §6.5 wait
    const stopLogs = new AbortController()
    const logSignal = AbortSignal.any([signal, stopLogs.signal])
    // A failure of the log that no retry mends (the token rejected, the account denied) ends the wait too.
    const stopWait = new AbortController()
    // The watch below sees the build end; the log follower asks it instead of the server.
    const end = new BuildEnd(build)
    const follower = follow ? new LogFollower(client, name, reporter) : undefined
    const logs = follower
      ? follower.follow({ signal: logSignal, drain: options.drain, build: end }).catch((error) => {
          if (logSignal.aborted) return undefined
          if (isDenied(error)) stopWait.abort(error)
          else reporter.warning(`The build log could not be followed: ${(error as Error).message}`)
          return undefined
        })
      : undefined
    let last = build
    let ended: KubeObject
    try {
      ended = await waitForTerminal(client, name, {
        signal: AbortSignal.any([signal, stopWait.signal]),
        from: build,
        onUpdate: (b) => {
          // debug: an info line could land inside the log's plugin groups
          if (phaseOf(b) !== phaseOf(last)) reporter.debug(`Build ${name}: ${phaseOf(b)}`)
          last = b
          end.seen(b)
        }
      })
    } catch (error) {
      // The wait failed (the build or its BuildConfig deleted, the server gone, the token rejected): the log
      // follower has nothing left to wait for, and the step ends with the wait's error.
      stopLogs.abort()
      await logs
      throw error
    }
    end.seen(ended)
    if (logs && follower) {
      // The log ends with the build; give a slow stream a moment, then stop it and read what it has not printed yet.
      const graceMs = options.logGraceMs ?? 30_000
      const grace = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref())
      const outcome = await Promise.race([logs, grace])
      if (outcome === 'late') {
        stopLogs.abort()
        await logs
        try {
          const missing = await follower.catchUp(signal)
          reporter.debug(`Build log: the stream was still open ${Math.round(graceMs / 1000)} s after the build ended; the final log had ${missing} more lines`)
        } catch (error) {
          if (signal.aborted) throw error
          reporter.warning(`The build log could not be read to its end after the build ended (${(error as Error).message}); it may be incomplete`)
        }
      } else if (outcome?.incomplete) reporter.debug(`Build log: ${outcome.incomplete}`)
    }
    reporter.saveState(STATE_BUILD_FINISHED, 'true')
    build = await client.getBuild(name, signal).catch(() => ended)
    const facts = readBuild(build, { buildConfig: bcName, registries: settings.registries, buildUrl })
    const phase = facts.phase
    if (phase === 'Complete') {
      reporter.info(`Build ${name} is Complete`)
      const imageStream = await updateImageStream(client, plan, build, reporter, { signal, importWaitMs: options.importWaitMs })
      return finish({ success: true, buildName: name, phase, build, facts, imageStream })
    }
    const errors = pluginErrorMessages(facts.pluginErrors)
    for (const error of errors) reporter.error(error, { title: `Build ${name} ${phase}` })
    const failure = errors[0] ?? `Build ${name} ended ${phase}${facts.message ? `: ${facts.message}` : ''}`
    return finish({ success: false, buildName: name, phase, build, facts, failure, failureReported: errors.length > 0 })
  } catch (error) {
    if (!signal.aborted) throw error
    const why = abortReason(signal)
    if (!build) {
      if (!instantiateSent) throw new Error(`${why}; no build was started`)
      // An instantiate cut short may still be carried out, also after this run gave up on its answer: cancel what it started.
      const lookMs = options.cancelGraceMs ?? 5000
      build = await awaitRequested(client, plan, requestId, lookMs).catch(() => undefined)
      if (!build) throw new Error(`${why}; the request to start a build was cut short, and no build from it appeared within ${Math.round(lookMs / 1000)} s`)
      reporter.info(`Build ${build.metadata.name} was started by this run's request after ${why}; cancelling it`)
    }
    const name = build.metadata.name
    const ended = await cancelAndConfirm(client, name, reporter, why, options.cancelGraceMs ?? 5000)
    reporter.saveState(STATE_BUILD_FINISHED, 'true')
    buildUrl ??= options.consoleUrl?.(client.namespace, name) ?? apiUrl(client, name)
    const facts = readBuild(ended ?? build, { buildConfig: bcName, registries: settings.registries, buildUrl })
    if (facts.phase === 'Complete') {
      // It ended just before the cancellation could apply: the build is good.
      reporter.info(`Build ${name} is Complete`)
      return finish({ success: true, buildName: name, phase: facts.phase, build: ended ?? build, facts })
    }
    return finish({
      success: false,
      buildName: name,
      phase: facts.phase,
      build: ended ?? build,
      facts,
      failure: `${why}: build ${name} ${facts.phase === 'Cancelled' ? 'was cancelled' : `cancellation requested (${facts.phase})`}`
    })
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onOuterAbort)
  }
}

/**
 * Cancel a build and wait (at most `graceMs`) for it to be terminal. Used on timeout and signals, and by the post
 * step. Returns the last state seen.
 */
export async function cancelAndConfirm(client: Cluster, name: string, reporter: Reporter, why: string, graceMs = 5000): Promise<KubeObject | undefined> {
  const deadline = AbortSignal.timeout(graceMs)
  try {
    const current = await client.getBuild(name, deadline)
    if (isTerminal(current)) return current
    reporter.warning(`${why}: cancelling build ${name}`)
    const patched = await requestCancel(client, name, deadline)
    if (!patched) return undefined
    const ended = await waitForTerminal(client, name, { signal: deadline, from: patched, inactivityMs: graceMs })
    reporter.info(`Build ${name} is ${phaseOf(ended)}`)
    return ended
  } catch (error) {
    if (deadline.aborted) {
      reporter.warning(`Cancellation of build ${name} requested; it had not ended within ${Math.round(graceMs / 1000)} s`)
      return client.getBuild(name, AbortSignal.timeout(1000)).catch(() => undefined)
    }
    reporter.warning(`Could not cancel build ${name}: ${(error as Error).message}`)
    return undefined
  }
}

/** The post step: cancel a build the main step left running (job cancelled, runner killed the process). */
export async function cancelLeftoverBuild(client: Cluster, name: string, reporter: Reporter): Promise<void> {
  let build: KubeObject
  try {
    build = await client.getBuild(name, AbortSignal.timeout(10_000))
  } catch (error) {
    if (isNotFound(error)) return
    reporter.warning(`Could not read build ${name}: ${(error as Error).message}`)
    return
  }
  if (isTerminal(build)) {
    reporter.info(`Build ${name} already ended: ${phaseOf(build)}`)
    return
  }
  await cancelAndConfirm(client, name, reporter, 'The job was cancelled', 8000)
}
