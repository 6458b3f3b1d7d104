/**
 * `GET builds/<name>/log` (openshift-apiserver's `registry/buildlog/rest.go`, OpenShift 3.x behaviour): the
 * options checked as BuildLogOptions, `previous` the build before this one of the same BuildConfig, a New or
 * Pending build waited for (`buildwait.WaitForRunningBuild`: a 400 `unable to wait for build <b> to run: timed out
 * waiting for the condition` when it does not start in time, `…: build was deleted` when it is deleted meanwhile),
 * the log streamed, followed until the build ends when asked. A build that ended without its pod ever running has
 * no log: 200 and an empty body (the pod log of a pod bound to no node), as on 3.11.
 */
import type { KubeObject } from '../../api/object.js'
import { badRequest, invalid, methodNotAllowed, notFound, type StatusCause } from '../../api/status.js'
import { forbiddenField, invalidValue } from '../../api/validation.js'
import { refOf } from '../../apiserver/request.js'
import { boolParam } from '../../apiserver/route.js'
import type { RequestContext } from '../../apiserver/strategy.js'
import { StreamWriter } from '../../apiserver/http.js'
import { normalizeTime, type LogReadOptions } from '../../storage/build-logs.js'
import type { Store } from '../../storage/store.js'
import type { RegistryDeps } from '../deps.js'
import { buildConfigName } from './names.js'
import { isTerminal } from './strategy.js'

/** The query as BuildLogOptions (400 for a value that is no integer or time, 422 for invalid ones). */
function logOptions(query: URLSearchParams, group: string): LogReadOptions & { version?: number } {
  const causes: StatusCause[] = []
  if (boolParam(query.get('previous')) && query.get('version') !== null) {
    causes.push(invalidValue('previous', true, 'cannot use previous together with version'))
  }
  const int = (k: string): number | undefined => {
    const v = query.get(k)
    if (v === null) return undefined
    const n = Number(v)
    if (!Number.isInteger(n)) throw badRequest(`${k}: invalid value "${v}": must be an integer`)
    return n
  }
  const sinceSeconds = int('sinceSeconds')
  const tailLines = int('tailLines')
  const limitBytes = int('limitBytes')
  const version = int('version')
  const sinceTimeRaw = query.get('sinceTime')
  let sinceTime: string | undefined
  if (sinceTimeRaw !== null) {
    sinceTime = normalizeTime(sinceTimeRaw)
    if (!sinceTime) throw badRequest(`sinceTime: parsing time "${sinceTimeRaw}" as "2006-01-02T15:04:05Z07:00": cannot parse`)
  }
  if (sinceSeconds !== undefined && sinceTime !== undefined) causes.push(forbiddenField('sinceSeconds', 'at most one of `sinceTime` or `sinceSeconds` may be specified'))
  if (sinceSeconds !== undefined && sinceSeconds < 1) causes.push(invalidValue('sinceSeconds', sinceSeconds, 'must be greater than 0'))
  if (tailLines !== undefined && tailLines < 0) causes.push(invalidValue('tailLines', tailLines, 'must be greater than or equal to 0'))
  if (limitBytes !== undefined && limitBytes < 1) causes.push(invalidValue('limitBytes', limitBytes, 'must be greater than 0'))
  if (version !== undefined && version <= 0) causes.push(invalidValue('version', version, 'build version must be greater than 0'))
  if (causes.length) throw invalid('BuildLogOptions', group, '', causes)
  if (sinceSeconds !== undefined) sinceTime = normalizeTime(new Date(Date.now() - sinceSeconds * 1000).toISOString())
  return { sinceTime, tailLines, limitBytes, version, follow: boolParam(query.get('follow')), timestamps: boolParam(query.get('timestamps')) }
}

/** The build before `asked` of the same BuildConfig (`previous=true`), or undefined. */
function previousBuild(store: Store, ns: string, asked: KubeObject): { bc?: string; n: number; build?: KubeObject } {
  const bc = buildConfigName(asked)
  const n = Number(asked.metadata.annotations?.['openshift.io/build.number'] ?? 0) - 1
  const build = bc && n > 0 ? store.peekList('builds', ns).find((b) => buildConfigName(b) === bc && Number(b.metadata.annotations?.['openshift.io/build.number']) === n) : undefined
  return { bc, n, build }
}

/** The build once it has left New and Pending, 'deleted', or undefined when `waitMs` passed or the request closed. */
function waitForStart(store: Store, ns: string, name: string, waitMs: number, signal: AbortSignal): Promise<KubeObject | 'deleted' | undefined> {
  return new Promise<KubeObject | 'deleted' | undefined>((resolve) => {
    let unsub = () => {}
    const done = (b: KubeObject | 'deleted' | undefined) => {
      unsub()
      clearTimeout(timer)
      resolve(b)
    }
    const timer = setTimeout(() => done(undefined), waitMs)
    unsub = store.subscribe((e) => {
      if (e.plural !== 'builds' || e.object.metadata.namespace !== ns || e.object.metadata.name !== name) return
      const p = e.object.status?.phase
      if (e.type === 'DELETED') done('deleted')
      else if (p !== 'New' && p !== 'Pending') done(e.object)
    })
    signal.addEventListener('abort', () => done(undefined), { once: true })
  })
}

export async function buildLog(ctx: RequestContext<RegistryDeps>): Promise<void> {
  const { route, query, res, env } = ctx
  if ((ctx.req.method ?? 'GET') !== 'GET') throw methodNotAllowed()
  const ns = route.namespace!
  let name = route.name!
  const store = env.store
  const asked = store.peek('builds', ns, name)
  if (!asked) throw notFound(refOf(route), name)
  const opts = logOptions(query, route.msgGroup)
  if (boolParam(query.get('previous'))) {
    const prev = previousBuild(store, ns, asked)
    if (!prev.build) throw notFound(refOf(route), prev.bc && prev.n > 0 ? `${prev.bc}-${prev.n}` : name)
    name = prev.build.metadata.name
  }
  let build = store.peek('builds', ns, name)!
  const phase = build.status?.phase
  if (phase === 'Cancelled') throw badRequest(`build ${name} was cancelled. No logs are available.`)
  if (phase === 'Error') throw badRequest(`build ${name} is in an error state. No logs are available.`)
  const abort = new AbortController()
  res.on('close', () => abort.abort())
  if (phase === 'New' || phase === 'Pending' || !phase) {
    if (boolParam(query.get('nowait'))) {
      // 3.11 answers an empty LocationStreamer: 204, no content type
      res.writeHead(204)
      res.end()
      return
    }
    const waitMs = env.deps.logWaitSeconds * 1000
    const reached = await waitForStart(store, ns, name, waitMs, abort.signal)
    if (abort.signal.aborted) return
    // 3.11's wait ends with wait.ErrWaitTimeout (its 504 "timed out waiting for build … to start" is unreachable)
    if (!reached) throw badRequest(`unable to wait for build ${name} to run: timed out waiting for the condition`)
    if (reached === 'deleted' || !store.peek('builds', ns, name)) throw badRequest(`unable to wait for build ${name} to run: build was deleted`)
    build = reached
    if (build.status?.phase === 'Cancelled') throw badRequest(`build ${name} was cancelled: No logs are available.`)
    if (build.status?.phase === 'Error') throw badRequest(`build ${name} encountered an error: No logs are available.`)
  }
  const log = env.deps.logs.get(ns, name)
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' })
  res.flushHeaders()
  const out = new StreamWriter(res, ctx.cutAfter)
  if (log) {
    const { sinceTime, tailLines, limitBytes, timestamps } = opts
    await log.stream(out, { follow: opts.follow && !isTerminal(build), timestamps, sinceTime, tailLines, limitBytes }, abort.signal)
  }
  out.end()
}
