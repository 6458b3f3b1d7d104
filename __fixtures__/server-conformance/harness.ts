/**
 * The server conformance suite's harness: a small HTTP(S) client that runs a sequence's requests against a server
 * (a real OpenShift 3.11 master when recording, the local OpenShift in CI) and writes down each answer with its
 * volatile values replaced (normalize), and the comparison of two such recordings (compare).
 *
 * Normalized: uids, resourceVersions, times and durations, the run's random name part (`<id>`), the two accounts'
 * user names (`<account>`, `<plain-account>`), registry host:port and image digests. Tokens are never written: the
 * client sends them, the recording holds no request header.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'

/** Where the sequences run, and as whom. */
export interface Target {
  /** https://host:port or http://host:port */
  server: string
  /** an account allowed the Custom build strategy (`system:build-strategy-custom`) with `edit` in the namespace */
  token: string
  /** an account with `edit` in the namespace and no Custom-strategy role */
  plainToken: string
  /** PEM of the CA for an https server */
  ca?: string
  namespace: string
  /** the registry (host:port) images are imported from */
  registry: string
  /**
   * The BuildConfig to write (any name). Replaying a recording, the one the recording sent: the answers echo it, and
   * the action's rendering moves on between recordings. Recording, unset: the action's rendering of today.
   */
  buildConfig?: unknown
}

/** One request of a sequence, as recorded. */
export interface Step {
  step: string
  request: { method: string; path: string; as?: 'plain'; body?: unknown }
  status: number
  /** the media type, without parameters */
  contentType?: string
  /** the JSON answer, or the text of a non-JSON one */
  body?: unknown
  /** a watch: the events seen, consecutive ones of the same type and phase as one */
  events?: Array<{ type: string; phase?: string; object?: unknown }>
}

export interface Recording {
  sequence: string
  description: string
  server: string
  steps: Step[]
}

export interface Answer {
  status: number
  contentType?: string
  text: string
  json: any
}

interface CallOptions {
  body?: unknown
  contentType?: string
  as?: 'plain'
  accept?: string
  /** what of the JSON answer is recorded (default: all of it) */
  keep?: (json: any) => unknown
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/
const DIGEST = /sha256:[0-9a-f]{64}/g
/** the random suffix of a service account's token and dockercfg secrets (`builder-token-x7k2p`) */
const SECRET_SUFFIX = /-(token|dockercfg)-[a-z0-9]{5}\b/g

/** A run of one sequence: its requests, answered and written down. */
export class Session {
  readonly steps: Step[] = []
  /** the random part of this run's object names (`<id>` in the recording) */
  readonly id = Array.from({ length: 5 }, () => 'bcdfghjklmnpqrstvwxz'[Math.floor(Math.random() * 20)]).join('')
  private names: Array<[string, string]> = []

  constructor(readonly target: Target) {}

  /** Learn the accounts' user names (users/~), to write them as `<account>` and `<plain-account>`. */
  async start(): Promise<void> {
    const me = await this.send('GET', '/apis/user.openshift.io/v1/users/~', {})
    const plain = await this.send('GET', '/apis/user.openshift.io/v1/users/~', { as: 'plain' })
    this.names = [
      [String(me.json?.metadata?.name), '<account>'],
      [String(plain.json?.metadata?.name), '<plain-account>']
    ]
  }

  /** Send a request and record its answer under `step`. */
  async call(step: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const answer = await this.send(method, path, options)
    this.steps.push({
      step,
      request: this.normalize({ method, path, ...(options.as ? { as: options.as } : {}), ...(options.body !== undefined ? { body: options.body } : {}) }) as Step['request'],
      status: answer.status,
      contentType: answer.contentType,
      body: this.normalize(answer.json !== undefined && options.keep ? options.keep(answer.json) : (answer.json ?? answer.text))
    })
    return answer
  }

  /**
   * Watch `path` (a watch URL), run `during` once the stream is open, and read events until `done` says so or
   * `limitMs` passes; the events are recorded as their type and the object's status.phase.
   */
  async watch(step: string, path: string, during: (seen: () => any[]) => Promise<void>, done: (events: any[]) => boolean, limitMs = 20000): Promise<any[]> {
    const events: any[] = []
    let status = 0
    let contentType: string | undefined
    await new Promise<void>((resolve, reject) => {
      let buffer = ''
      let finished = false
      const finish = () => {
        if (finished) return
        finished = true
        clearTimeout(timer)
        req.destroy()
        resolve()
      }
      const timer = setTimeout(finish, limitMs)
      const req = this.open('GET', path, {}, (res) => {
        status = res.statusCode ?? 0
        contentType = mediaType(res.headers['content-type'])
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8')
          let nl: number
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim()
            buffer = buffer.slice(nl + 1)
            if (line) events.push(JSON.parse(line))
          }
          if (done(events)) finish()
        })
        res.on('end', finish)
        res.on('error', finish)
        during(() => events).catch((error: unknown) => {
          finish()
          reject(error as Error)
        })
      })
      req.on('error', (error) => (finished ? undefined : reject(error)))
      req.end()
    })
    const collapsed: Array<{ type: string; phase?: string; object?: unknown }> = []
    for (const e of events) {
      // an ERROR event's object is a Status: kept whole
      const one = { type: String(e.type), ...(e.object?.status?.phase ? { phase: String(e.object.status.phase) } : {}), ...(e.type === 'ERROR' ? { object: this.normalize(e.object) } : {}) }
      const last = collapsed[collapsed.length - 1]
      if (!last || last.type !== one.type || last.phase !== one.phase) collapsed.push(one)
    }
    this.steps.push({ step, request: this.normalize({ method: 'GET', path }) as Step['request'], status, contentType, events: collapsed })
    return events
  }

  /** Send a request without recording it (set-up and clean-up). */
  send(method: string, path: string, options: CallOptions): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = this.open(method, path, options, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: any
          try {
            json = text ? JSON.parse(text) : undefined
          } catch {
            json = undefined
          }
          resolve({ status: res.statusCode ?? 0, contentType: mediaType(res.headers['content-type']), text, json })
        })
      })
      req.on('error', reject)
      if (options.body !== undefined) req.write(typeof options.body === 'string' ? options.body : JSON.stringify(options.body))
      req.end()
    })
  }

  private open(method: string, path: string, options: CallOptions, onResponse: (res: IncomingMessage) => void) {
    const url = new URL(path, this.target.server)
    const headers: Record<string, string> = {
      Accept: options.accept ?? 'application/json',
      Authorization: `Bearer ${options.as === 'plain' ? this.target.plainToken : this.target.token}`
    }
    if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json'
    return url.protocol === 'https:' ? httpsRequest(url, { method, headers, ca: this.target.ca }, onResponse) : httpRequest(url, { method, headers }, onResponse)
  }

  /** A value with this run's volatile parts replaced. */
  normalize(value: unknown, key = ''): unknown {
    if (typeof value === 'string') {
      if (key === 'resourceVersion' && value) return '<rv>'
      if (key === 'uid' && value) return '<uid>'
      if (RFC3339.test(value)) return '<time>'
      let s = value
        .split(this.id)
        .join('<id>')
        .split(this.target.registry)
        .join('<registry>')
        .replace(DIGEST, '<digest>')
        .replace(/resourceVersion=\d+/g, 'resourceVersion=<rv>')
        .replace(SECRET_SUFFIX, '-$1-<suffix>')
      for (const [name, placeholder] of this.names) s = s.split(name).join(placeholder)
      return s
    }
    if (typeof value === 'number' && key === 'duration') return '<duration>'
    if (Array.isArray(value)) return value.map((v) => this.normalize(v))
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.normalize(v, k)]))
    return value
  }
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim() || undefined
}

/** One way in which the local OpenShift answered otherwise than the recording. */
export interface Difference {
  sequence: string
  step: string
  /** JSON path in the step (`status`, `body.metadata.annotations`, `events`) */
  path: string
  real: unknown
  local: unknown
}

/** Every difference between two recordings of a sequence, step by step (steps matched by name). */
export function compare(real: Recording, local: Recording): Difference[] {
  const out: Difference[] = []
  const localSteps = new Map(local.steps.map((s) => [s.step, s]))
  for (const r of real.steps) {
    const l = localSteps.get(r.step)
    if (!l) {
      out.push({ sequence: real.sequence, step: r.step, path: '', real: 'recorded', local: 'not run' })
      continue
    }
    const { request: _r, step: _s, ...realAnswer } = r
    const { request: _l, step: _t, ...localAnswer } = l
    diff(realAnswer, localAnswer, '', (path, a, b) => out.push({ sequence: real.sequence, step: r.step, path, real: a, local: b }))
  }
  return out
}

/** Arrays of objects with a `name` are compared by name (discovery's resources), others by index. */
function diff(a: unknown, b: unknown, path: string, report: (path: string, a: unknown, b: unknown) => void): void {
  if (a === b) return
  const join = (k: string) => (path ? `${path}.${k}` : k)
  if (Array.isArray(a) && Array.isArray(b)) {
    const named = (x: unknown[]) => x.length > 0 && x.every((e) => e && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string')
    if (named(a) && named(b)) {
      const byName = (x: any[]) => new Map(x.map((e) => [e.name as string, e]))
      const ma = byName(a)
      const mb = byName(b)
      for (const k of new Set([...ma.keys(), ...mb.keys()])) diff(ma.get(k), mb.get(k), `${path}[${k}]`, report)
      return
    }
    if (a.length !== b.length) return report(path, a, b)
    a.forEach((x, i) => diff(x, b[i], `${path}[${i}]`, report))
    return
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = a as Record<string, unknown>
    const kb = b as Record<string, unknown>
    for (const k of new Set([...Object.keys(ka), ...Object.keys(kb)])) diff(ka[k], kb[k], join(k), report)
    return
  }
  report(path, a, b)
}

/** A difference the suite accepts, and why (`path` a prefix of the difference's path; `step` a step's name). */
export interface AcceptedDifference {
  sequence?: string
  step?: string
  path: string
  why: string
}

export function unaccepted(found: Difference[], accepted: AcceptedDifference[]): Difference[] {
  return found.filter(
    (d) =>
      !accepted.some((a) => (!a.sequence || a.sequence === d.sequence) && (!a.step || a.step === d.step) && (d.path === a.path || d.path.startsWith(`${a.path}.`) || d.path.startsWith(`${a.path}[`)))
  )
}
