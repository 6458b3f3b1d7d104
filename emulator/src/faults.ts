/**
 * Fault injection, from test code (`cluster.faults`) or over HTTP (`/_emulator/faults`).
 *
 * Request faults match on method, path and query; each fires `count` times (default 1; `Infinity` or -1 for
 * always) and is then gone. Kinds:
 * - `status`: answer HTTP `status` with a Status body instead of serving the request (for a watch request, 410
 *   is served the way the API server does it: HTTP 200 and an ERROR event with a 410 Expired Status);
 * - `cut`: serve the request but cut the connection after `bytes` bytes of the response body (log and watch streams);
 * - `delay`: wait `ms` before serving;
 * - `reset`: destroy the connection without an answer (the request is not carried out);
 * - `drop`: carry the request out, then destroy the connection instead of answering (the answer is lost, as when
 *   the network or a load balancer fails after the server acted);
 * - `gate`: hold the request, received whole, until the gate is removed, then carry it out whether or not the
 *   client is still there (as a load balancer that keeps the upstream request after its client went). The gate
 *   tells when a request reached it (`received`) and when a held request's client closed the connection
 *   (`abandoned`): a test acts while a request is in flight without timing.
 * Plugin faults make the emulated atomic-reactor's plugin `plugin` fail with `message` (optionally only for one build).
 * A hold keeps build pods (all, or one build's) Running at their next step until the hold is removed or the build
 * is cancelled: a build that stays running for as long as a test needs, without timing.
 */

export interface RequestMatcher {
  /** HTTP method, e.g. 'PATCH' (any when omitted) */
  method?: string
  /** a string the path must contain, or a RegExp it must match (any when omitted) */
  path?: string | RegExp
  /** query parameters that must have these values (e.g. { watch: 'true' }) */
  query?: Record<string, string>
}

export type RequestFaultKind = 'status' | 'cut' | 'delay' | 'reset' | 'drop' | 'gate'

export interface RequestFault {
  id: number
  kind: RequestFaultKind
  match: RequestMatcher
  /** remaining uses */
  count: number
  status?: number
  message?: string
  reason?: string
  bytes?: number
  ms?: number
  /** how often it fired */
  hits: number
}

/** A `gate` fault: its events, and whether it still holds requests. */
export interface RequestGate extends RequestFault {
  kind: 'gate'
  /** Resolves when the first matching request has arrived whole and is held. */
  received: Promise<void>
  /** Resolves when the client of a held request closed its connection (gave up waiting). */
  abandoned: Promise<void>
  /** false once removed: held requests are carried out. */
  holding: boolean
}

interface GateInternals {
  onReceived: () => void
  onAbandoned: () => void
}

export interface PluginFault {
  id: number
  plugin: string
  message: string
  /** only for this build name (any when omitted) */
  build?: string
  count: number
  hits: number
}

export interface HoldFault {
  id: number
  /** only this build (any when omitted) */
  build?: string
  /** how many pod steps it held */
  hits: number
}

export interface FaultOptions {
  /** how many requests it applies to (default 1; Infinity for all) */
  count?: number
}

/** What a test (or the /_emulator/faults endpoint) can inject. */
export class FaultInjector {
  private nextId = 1
  private requestFaults: RequestFault[] = []
  private pluginFaults: PluginFault[] = []
  private holds: HoldFault[] = []
  /** gates, also once used up (they hold requests until removed) */
  private gates = new Map<number, RequestGate & GateInternals>()
  /** pods waiting on a hold: woken whenever a hold goes */
  private released = new Set<() => void>()

  private add(kind: RequestFaultKind, match: RequestMatcher, opts: FaultOptions, extra: Partial<RequestFault>): RequestFault {
    const count = opts.count === undefined ? 1 : opts.count < 0 ? Infinity : opts.count
    const f: RequestFault = { id: this.nextId++, kind, match, count, hits: 0, ...extra }
    this.requestFaults.push(f)
    return f
  }

  /** Answer `status` (e.g. 409, 410, 500, 503) with a Status body on matching requests. */
  respond(match: RequestMatcher, status: number, opts: FaultOptions & { message?: string; reason?: string } = {}): RequestFault {
    return this.add('status', match, opts, { status, message: opts.message, reason: opts.reason })
  }

  /** Cut the response of matching requests after `bytes` bytes of body (a dropped log or watch stream). */
  cutStream(match: RequestMatcher, bytes: number, opts: FaultOptions = {}): RequestFault {
    return this.add('cut', match, opts, { bytes })
  }

  /** Delay matching requests by `ms`. */
  delay(match: RequestMatcher, ms: number, opts: FaultOptions = {}): RequestFault {
    return this.add('delay', match, opts, { ms })
  }

  /** Reset the connection of matching requests. */
  reset(match: RequestMatcher, opts: FaultOptions = {}): RequestFault {
    return this.add('reset', match, opts, {})
  }

  /** Carry out matching requests but lose the answer: the connection is destroyed before any byte of it is sent. */
  dropResponse(match: RequestMatcher, opts: FaultOptions = {}): RequestFault {
    return this.add('drop', match, opts, {})
  }

  /**
   * Hold matching requests (received whole) until the gate is removed, then carry them out, whether or not their
   * client is still connected.
   */
  gate(match: RequestMatcher, opts: FaultOptions = {}): RequestGate {
    let onReceived = (): void => {}
    let onAbandoned = (): void => {}
    const received = new Promise<void>((resolve) => (onReceived = resolve))
    const abandoned = new Promise<void>((resolve) => (onAbandoned = resolve))
    const f = this.add('gate', match, opts, {}) as RequestGate & GateInternals
    Object.assign(f, { received, abandoned, holding: true, onReceived, onAbandoned })
    this.gates.set(f.id, f)
    return f
  }

  /** Hold one request at its gate: resolves when the gate is removed (or `signal` aborts). */
  async passGate(gate: RequestFault, clientGone: Promise<void>, signal: AbortSignal): Promise<void> {
    const g = this.gates.get(gate.id)
    if (!g) return
    g.onReceived()
    void clientGone.then(() => g.onAbandoned())
    while (g.holding && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.released.delete(wake)
          signal.removeEventListener('abort', wake)
          resolve()
        }
        this.released.add(wake)
        signal.addEventListener('abort', wake, { once: true })
      })
    }
  }

  /** Make the emulated atomic-reactor's `plugin` fail with `message`. */
  failPlugin(plugin: string, message = `injected failure of ${plugin}`, opts: FaultOptions & { build?: string } = {}): PluginFault {
    const count = opts.count === undefined ? Infinity : opts.count < 0 ? Infinity : opts.count
    const f: PluginFault = { id: this.nextId++, plugin, message, build: opts.build, count, hits: 0 }
    this.pluginFaults.push(f)
    return f
  }

  /** Hold build pods (of `build`, or all) at their next step until the hold is removed. */
  holdBuild(opts: { build?: string } = {}): HoldFault {
    const f: HoldFault = { id: this.nextId++, build: opts.build, hits: 0 }
    this.holds.push(f)
    return f
  }

  /** Resolves once no hold applies to `build` (at once when none does); rejects when `signal` aborts. */
  async held(build: string, signal: AbortSignal): Promise<void> {
    let counted = false
    for (;;) {
      const hold = this.holds.find((h) => !h.build || h.build === build)
      if (!hold) return
      if (!counted) hold.hits++
      counted = true
      if (signal.aborted) throw signal.reason ?? new Error('build cancelled')
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.released.delete(wake)
          signal.removeEventListener('abort', wake)
          resolve()
        }
        this.released.add(wake)
        signal.addEventListener('abort', wake, { once: true })
      })
    }
  }

  private releaseHolds(): void {
    for (const wake of [...this.released]) wake()
  }

  /** Remove one fault (by the object or id returned when it was added). */
  remove(f: { id: number } | number): void {
    const id = typeof f === 'number' ? f : f.id
    this.requestFaults = this.requestFaults.filter((x) => x.id !== id)
    this.pluginFaults = this.pluginFaults.filter((x) => x.id !== id)
    this.holds = this.holds.filter((x) => x.id !== id)
    const gate = this.gates.get(id)
    if (gate) gate.holding = false
    this.gates.delete(id)
    this.releaseHolds()
  }

  clear(): void {
    this.requestFaults = []
    this.pluginFaults = []
    this.holds = []
    for (const gate of this.gates.values()) gate.holding = false
    this.gates.clear()
    this.releaseHolds()
  }

  list(): { requests: RequestFault[]; plugins: PluginFault[]; holds: HoldFault[] } {
    return { requests: [...this.requestFaults], plugins: [...this.pluginFaults], holds: [...this.holds] }
  }

  /**
   * The faults of the given kinds that apply to a request, consuming one use of each. At most one fault of each
   * kind applies (the oldest).
   */
  take(method: string, path: string, query: URLSearchParams): Partial<Record<RequestFaultKind, RequestFault>> {
    const out: Partial<Record<RequestFaultKind, RequestFault>> = {}
    for (const f of this.requestFaults) {
      if (out[f.kind] || f.count <= 0 || !matches(f.match, method, path, query)) continue
      f.count--
      f.hits++
      out[f.kind] = f
    }
    this.requestFaults = this.requestFaults.filter((f) => f.count > 0)
    return out
  }

  /** The failure message for a plugin of a build, consuming one use; undefined when it should not fail. */
  pluginFault(plugin: string, build?: string): string | undefined {
    const f = this.pluginFaults.find((x) => x.plugin === plugin && x.count > 0 && (!x.build || x.build === build))
    if (!f) return undefined
    f.count--
    f.hits++
    if (f.count <= 0) this.pluginFaults = this.pluginFaults.filter((x) => x !== f)
    return f.message
  }
}

function matches(m: RequestMatcher, method: string, path: string, query: URLSearchParams): boolean {
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false
  if (m.path !== undefined) {
    if (typeof m.path === 'string' ? !path.includes(m.path) : !m.path.test(path)) return false
  }
  for (const [k, v] of Object.entries(m.query ?? {})) if (query.get(k) !== v) return false
  return true
}

/** Parse the JSON body of POST /_emulator/faults into a call on the injector. */
export function addFaultFromJSON(faults: FaultInjector, body: any): { id: number } {
  const match: RequestMatcher = {
    method: body.method,
    path: typeof body.pathRegex === 'string' ? new RegExp(body.pathRegex) : body.path,
    query: body.query
  }
  const count = body.count === undefined ? undefined : Number(body.count)
  switch (body.kind) {
    case 'status':
      return faults.respond(match, Number(body.status), { count, message: body.message, reason: body.reason })
    case 'cut':
      return faults.cutStream(match, Number(body.bytes ?? 0), { count })
    case 'delay':
      return faults.delay(match, Number(body.ms ?? 0), { count })
    case 'reset':
      return faults.reset(match, { count })
    case 'drop':
      return faults.dropResponse(match, { count })
    case 'plugin':
      return faults.failPlugin(String(body.plugin), body.message, { count, build: body.build })
    case 'gate':
      return faults.gate(match, { count })
    case 'hold':
      return faults.holdBuild({ build: body.build })
    default:
      throw new Error(`unknown fault kind ${JSON.stringify(body.kind)}: expected status, cut, delay, reset, drop, gate, plugin or hold`)
  }
}
