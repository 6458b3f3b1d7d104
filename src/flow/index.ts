/**
 * The OSBS build flow of SPEC §6.1–§6.6 as a library function: `createBuild(plan, client, reporter, options)`.
 * It reports only through the Reporter and needs nothing of the GitHub toolkit.
 *
 *   discovery check → secret check → base ImageStream notice → BuildConfig (collision check, running-build policy, create/update with
 *   conflict retry) → instantiate or adopt → log follow ‖ wait by watch → the image's ImageStream and the Koji build's RPM count
 *   (Complete builds) → outputs and summary.
 *
 * Timeout (`timeout-minutes`) and the caller's abort signal (SIGINT/SIGTERM) cancel the build.
 */
import { randomUUID } from 'node:crypto'
import { isDenied, type Cluster, type KubeObject } from '../cluster/index.js'
import { buildConfigJson, outputsFrom, pluginErrorMessages, readBuild, type BuildFacts } from '../report/outputs.js'
import type { BuildPlan } from '../plan/plan.js'
import type { Reporter } from '../shared/reporter.js'
import { renderSummary } from '../report/summary.js'
import { abortReason, cancelAndConfirm, RunAborted } from './abort.js'
import { applyBuildConfig } from './buildconfig.js'
import { BuildEnd, phaseOf, runningPolicyBeforeWrite, waitForTerminal } from './builds.js'
import { readBaseImageStream, readCustomStrategy, readSecrets, reportBaseImageStream, reportCustomStrategy, reportSecrets } from './checks.js'
import { readCloneFailure } from './clone-failure.js'
import { LogFollower, type FollowResult } from './log/follow.js'
import { updateImageStream } from './image-stream.js'
import type { ImageStreamUpdate } from '../report/types.js'
import { awaitRequested, readTriggerTag, startOrAdopt } from './start.js'
import { postDirectBuild } from './direct.js'
import { withHubRpmCount } from './koji-rpms.js'
import { STATE_BUILD_FINISHED, STATE_BUILD_LEFT_RUNNING, STATE_BUILD_NAME } from './state.js'

export { cancelAndConfirm, cancelLeftoverBuild } from './abort.js'
export { applyBuildConfig, checkCollision, mergeBuildConfig } from './buildconfig.js'
export { checkBaseImageStream, checkSecrets } from './checks.js'
export { applyRunningPolicy, isTerminal, runningBuilds, waitForTerminal, requestCancel } from './builds.js'
export { followLog, LogFollower, LogPrinter } from './log/follow.js'
export { importedTags, tagsOfBuild, updateImageStream } from './image-stream.js'
export type { ImageStreamUpdate, ImportedTag } from '../report/types.js'
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
  /** Called once the build exists (started or adopted), with its page (the commit status's `pending`). */
  onStarted?: (build: { name: string; url: string }) => void
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

/** One run of createBuild: what its phases share, and how far it got (the abort path needs to know). */
interface Run {
  readonly plan: BuildPlan
  readonly client: Cluster
  readonly reporter: Reporter
  readonly options: CreateBuildOptions
  /** Aborted by the caller's signal or when timeout-minutes passed. */
  readonly signal: AbortSignal
  /** Carried by the instantiate, to find the build of one cut short. */
  readonly requestId: string
  readonly waitForEnd: boolean
  build?: KubeObject
  buildUrl?: string
  adopted: boolean
  instantiateSent: boolean
  /** The BuildConfig as rendered, once it is on the cluster (the `build-config-json` output). */
  configJson?: string
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
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new RunAborted(`timeout-minutes (${settings.timeoutMinutes}) passed`)), Math.min(timeoutMs, 2 ** 31 - 1))
  const onOuterAbort = (): void => controller.abort(new RunAborted(abortReason(options.signal!)))
  if (options.signal?.aborted) onOuterAbort()
  options.signal?.addEventListener('abort', onOuterAbort, { once: true })
  const run: Run = {
    plan,
    client,
    reporter,
    options,
    signal: controller.signal,
    requestId: randomUUID(),
    waitForEnd: options.wait ?? settings.wait,
    adopted: false,
    instantiateSent: false
  }
  try {
    const { build, buildUrl } = await writeAndStart(run)
    if (!run.waitForEnd) {
      reporter.saveState(STATE_BUILD_LEFT_RUNNING, 'true')
      const facts = factsOf(run, build, buildUrl)
      return finish(run, { success: true, buildName: build.metadata.name, phase: phaseOf(build), build, facts })
    }
    const ended = await followAndWait(run, build)
    return await conclude(run, build.metadata.name, buildUrl, ended)
  } catch (error) {
    if (!run.signal.aborted) throw error
    return await concludeAborted(run)
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onOuterAbort)
  }
}

/** The result of a run, its outputs set: the facts of the build make the outputs and the summary. */
function finish(run: Run, partial: Omit<BuildResult, 'summary' | 'outputs' | 'buildConfig' | 'adopted'> & { outputs?: Record<string, string> }): BuildResult {
  const { plan, adopted } = run
  const result: BuildResult = { buildConfig: plan.buildConfigName, adopted, outputs: {}, summary: '', ...partial }
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
      notWaited: !run.waitForEnd,
      imageStream: result.imageStream
    })
  }
  for (const [key, value] of Object.entries(result.outputs)) run.reporter.setOutput(key, value)
  if (run.configJson !== undefined) result.outputs['build-config-json'] = run.configJson
  return result
}

/**
 * The first reads do not depend on each other: they go out together and are judged in this order (§6.1
 * discovery, the permission Custom builds need, §5.3 secrets, §5.4 base ImageStream, §5.1 the BuildConfig, §6.3 the trigger's tag, the console).
 */
function firstReads({ plan, client, options, signal }: Run) {
  const first = {
    api: client.checkBuildApi(signal),
    customStrategy: readCustomStrategy(plan, client, signal),
    secrets: readSecrets(plan, client, signal),
    baseStream: readBaseImageStream(plan, client, signal),
    buildConfig: plan.build ? Promise.resolve(undefined) : client.getBuildConfig(plan.buildConfigName, signal),
    triggerTag: readTriggerTag(client, plan.buildConfig, signal),
    console: options.consoleUrl ? Promise.resolve(undefined) : client.consoleUrl(signal).catch(() => undefined)
  }
  // Each is awaited below; one that fails after an earlier verdict ended the run is of no interest.
  for (const read of Object.values(first)) (read as Promise<unknown>).catch(() => {})
  return first
}

/** The checks, the BuildConfig written (§5.1, with §6.2 the running-build policy before the write), the build started or adopted (§6.3). */
async function writeAndStart(run: Run): Promise<{ build: KubeObject; buildUrl: string }> {
  const { plan, client, reporter, signal } = run
  reporter.startGroup(`OpenShift ${client.server}, namespace ${client.namespace}`)
  const first = firstReads(run)
  let build: KubeObject
  try {
    await first.api
    reportCustomStrategy(await first.customStrategy)
    reportSecrets(await first.secrets, reporter)
    reportBaseImageStream(await first.baseStream, reporter)
    // scratch, isolated: a Build posted directly, no BuildConfig (direct.ts)
    if (plan.build) build = run.build = await postDirectBuild(client, plan, reporter, { signal, requestId: run.requestId, onSend: () => (run.instantiateSent = true) })
    else build = await writeAndInstantiate(run, first)
  } finally {
    reporter.endGroup()
  }
  return announce(run, build, first.console)
}

/** §5.1 the BuildConfig written (with §6.2 the running-build policy before the write), §6.3 the build started or adopted. */
async function writeAndInstantiate(run: Run, first: ReturnType<typeof firstReads>): Promise<KubeObject> {
  const { plan, client, reporter, options, signal } = run
  const settings = plan.settings
  const applied = await applyBuildConfig(client, plan.buildConfig, reporter, {
    signal,
    firstRead: first.buildConfig,
    beforeWrite: runningPolicyBeforeWrite(client, plan.buildConfigName, settings.onRunningBuild, reporter, signal)
  })
  // On the cluster as rendered: said now, so that a run that fails after this has it too.
  run.configJson = buildConfigJson(plan.buildConfig)
  reporter.setOutput('build-config-json', run.configJson)
  const started = await startOrAdopt(client, plan, applied.buildConfig, reporter, {
    signal,
    adoptWindowMs: options.adoptWindowMs,
    requestId: run.requestId,
    triggerTag: first.triggerTag,
    lastVersion: settings.onRunningBuild === 'fail' ? Number(applied.buildConfig.status?.lastVersion ?? 0) : undefined,
    onInstantiate: () => (run.instantiateSent = true)
  })
  run.adopted = started.adopted
  return (run.build = started.build)
}

/** The build is started: its name saved for the post step, its page said. */
async function announce(run: Run, build: KubeObject, console: Promise<string | undefined>): Promise<{ build: KubeObject; buildUrl: string }> {
  const { client, reporter, options, signal } = run
  const name = build.metadata.name
  reporter.saveState(STATE_BUILD_NAME, name)
  const buildUrl = (run.buildUrl = options.consoleUrl?.(client.namespace, name) ?? (await client.buildPageUrl(name, signal, console)))
  reporter.info(`Build ${name}: ${buildUrl}`)
  options.onStarted?.({ name, url: buildUrl })
  return { build, buildUrl }
}

/** §6.4 logs ‖ §6.5 wait: the build's log followed while its phase is watched; returns the build as it ended. */
async function followAndWait(run: Run, build: KubeObject): Promise<KubeObject> {
  const { plan, client, reporter, options, signal } = run
  const name = build.metadata.name
  const stopLogs = new AbortController()
  const logSignal = AbortSignal.any([signal, stopLogs.signal])
  // A failure of the log that no retry mends (the token rejected, the account denied) ends the wait too.
  const stopWait = new AbortController()
  // The watch below sees the build end; the log follower asks it instead of the server.
  const end = new BuildEnd(build)
  const follower = (options.followLogs ?? plan.settings.followLogs) ? new LogFollower(client, name, reporter) : undefined
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
  if (logs && follower) await endLog(run, follower, logs, stopLogs)
  return ended
}

/** The log ends with the build; give a slow stream a moment, then stop it and read what it has not printed yet. */
async function endLog(run: Run, follower: LogFollower, logs: Promise<FollowResult | undefined>, stopLogs: AbortController): Promise<void> {
  const { reporter, signal } = run
  const graceMs = run.options.logGraceMs ?? 30_000
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

/** What the Build says, read with what the plan knows (its BuildConfig, registries, Koji's web UI). */
function factsOf(run: Run, build: KubeObject, buildUrl: string): BuildFacts {
  const { plan } = run
  return readBuild(build, { buildConfig: plan.buildConfigName, registries: plan.settings.registries, buildUrl, kojiWebUrl: plan.settings.kojiWebUrl })
}

/** The build ended: its final state read, the image's ImageStream written for a Complete one (§6.6), the plugin errors reported otherwise. */
async function conclude(run: Run, name: string, buildUrl: string, ended: KubeObject): Promise<BuildResult> {
  const { plan, client, reporter, options, signal } = run
  reporter.saveState(STATE_BUILD_FINISHED, 'true')
  const build = (run.build = await client.getBuild(name, signal).catch(() => ended))
  let facts = factsOf(run, build, buildUrl)
  const phase = facts.phase
  if (phase === 'Complete') {
    reporter.info(`Build ${name} is Complete`)
    facts = await withHubRpmCount(facts, plan.settings, reporter, { signal })
    const imageStream = await updateImageStream(client, plan, build, reporter, { signal, importWaitMs: options.importWaitMs })
    return finish(run, { success: true, buildName: name, phase, build, facts, imageStream })
  }
  const errors = pluginErrorMessages(facts.pluginErrors)
  // no plugin error: the build may have failed at the clone, before any plugin ran
  const cloneFailure = errors.length === 0 && phase === 'Failed' ? await readCloneFailure(plan, client, name, signal) : undefined
  if (cloneFailure) errors.push(cloneFailure)
  for (const error of errors) reporter.error(error, { title: `Build ${name} ${phase}` })
  const failure = errors[0] ?? `Build ${name} ended ${phase}${facts.message ? `: ${facts.message}` : ''}`
  return finish(run, { success: false, buildName: name, phase, build, facts, failure, failureReported: errors.length > 0 })
}

/** The run was aborted (timeout-minutes, a signal): the build it started, or that its cut-short instantiate started, is cancelled. */
async function concludeAborted(run: Run): Promise<BuildResult> {
  const { plan, client, reporter, options } = run
  const why = abortReason(run.signal)
  let build = run.build
  if (!build) {
    if (!run.instantiateSent) throw new Error(`${why}; no build was started`)
    // An instantiate cut short may still be carried out, also after this run gave up on its answer: cancel what it started.
    const lookMs = options.cancelGraceMs ?? 5000
    build = await awaitRequested(client, plan, run.requestId, lookMs).catch(() => undefined)
    if (!build) throw new Error(`${why}; the request to start a build was cut short, and no build from it appeared within ${Math.round(lookMs / 1000)} s`)
    reporter.info(`Build ${build.metadata.name} was started by this run's request after ${why}; cancelling it`)
  }
  const name = build.metadata.name
  const ended = await cancelAndConfirm(client, name, reporter, why, options.cancelGraceMs ?? 5000)
  reporter.saveState(STATE_BUILD_FINISHED, 'true')
  const buildUrl = (run.buildUrl ??= options.consoleUrl?.(client.namespace, name) ?? apiUrl(client, name))
  const facts = factsOf(run, ended ?? build, buildUrl)
  if (facts.phase === 'Complete') {
    // It ended just before the cancellation could apply: the build is good.
    reporter.info(`Build ${name} is Complete`)
    return finish(run, { success: true, buildName: name, phase: facts.phase, build: ended ?? build, facts })
  }
  return finish(run, {
    success: false,
    buildName: name,
    phase: facts.phase,
    build: ended ?? build,
    facts,
    failure: `${why}: build ${name} ${facts.phase === 'Cancelled' ? 'was cancelled' : `cancellation requested (${facts.phase})`}`
  })
}
