/**
 * Small helpers for tests that drive the emulator over HTTP: a JSON client, a watch reader, and fixtures
 * (a BuildConfig body, a local git repository the emulated atomic-reactor can clone).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Cluster } from '../src/index.js'

export interface Response {
  status: number
  headers: IncomingHttpHeaders
  text: string
  /** parsed JSON when the body is JSON */
  body: any
}

export interface RequestOptions {
  headers?: Record<string, string>
  /** raw body (string) or a value sent as JSON */
  body?: unknown
  /** default: the cluster's token */
  token?: string | null
  contentType?: string
}

/** The exact Status body the API server answers a failure with (for `toEqual`; `message` may be a matcher). */
export function failure(code: number, reason: string, message: unknown, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code }
}

/** One HTTP request to the cluster (plain http only). */
export function call(cluster: Pick<Cluster, 'url' | 'token'>, method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const url = new URL(path, cluster.url)
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers ?? {}) }
  const token = opts.token === undefined ? cluster.token : opts.token
  if (token) headers.Authorization = `Bearer ${token}`
  let data: string | undefined
  if (opts.body !== undefined) {
    data = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
    headers['Content-Type'] = opts.contentType ?? 'application/json'
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let body: any
        try {
          body = text ? JSON.parse(text) : undefined
        } catch {
          body = undefined
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body })
      })
    })
    req.on('error', reject)
    if (data !== undefined) req.write(data)
    req.end()
  })
}

export interface WatchEvent {
  type: string
  object: any
}

/** A streaming GET (watch or followed log): lines as they arrive. */
export class Stream {
  readonly lines: string[] = []
  status = 0
  ended = false
  /** the connection broke before the body ended */
  aborted = false
  private waiters: Array<() => void> = []
  private req?: ReturnType<typeof httpRequest>
  readonly ready: Promise<void>

  constructor(cluster: Pick<Cluster, 'url' | 'token'>, path: string, headers: Record<string, string> = {}) {
    const url = new URL(path, cluster.url)
    this.ready = new Promise((resolve, reject) => {
      this.req = httpRequest(url, { headers: { Authorization: `Bearer ${cluster.token}`, ...headers } }, (res) => {
        this.status = res.statusCode ?? 0
        resolve()
        let rest = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          rest += c
          let i: number
          while ((i = rest.indexOf('\n')) >= 0) {
            this.lines.push(rest.slice(0, i))
            rest = rest.slice(i + 1)
          }
          this.wake()
        })
        res.on('aborted', () => {
          this.aborted = true
        })
        res.on('error', () => {
          this.aborted = true
          this.finish(rest)
        })
        res.on('close', () => this.finish(rest))
      })
      this.req.on('error', (err) => {
        this.aborted = true
        reject(err)
        this.finish('')
      })
      this.req.end()
    })
    this.ready.catch(() => undefined)
  }

  private finish(rest: string): void {
    if (this.ended) return
    if (rest) this.lines.push(rest)
    this.ended = true
    this.wake()
  }

  private wake(): void {
    const w = this.waiters
    this.waiters = []
    w.forEach((f) => f())
  }

  /** Wait until `pred` holds for the lines so far (or the stream ends), at most `ms`. */
  async until(pred: (lines: string[]) => boolean, ms = 10000): Promise<boolean> {
    const deadline = Date.now() + ms
    while (!pred(this.lines)) {
      if (this.ended) return pred(this.lines)
      const left = deadline - Date.now()
      if (left <= 0) return false
      await new Promise<void>((r) => {
        const t = setTimeout(r, left)
        this.waiters.push(() => {
          clearTimeout(t)
          r()
        })
      })
    }
    return true
  }

  async end(ms = 10000): Promise<boolean> {
    return this.until(() => this.ended, ms)
  }

  events(): WatchEvent[] {
    return this.lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as WatchEvent)
  }

  close(): void {
    this.req?.destroy()
  }
}

/** A BuildConfig body like the action writes (Custom strategy, DockerImage output). */
export function buildConfigBody(name: string, opts: { runPolicy?: string; gitUri?: string; ref?: string; plugins?: unknown; triggers?: unknown[]; labels?: Record<string, string> } = {}): any {
  return {
    kind: 'BuildConfig',
    apiVersion: 'build.openshift.io/v1',
    metadata: { name, labels: { is_autorebuild: 'false', 'git-repo-name': 'app', 'git-branch': 'master', ...(opts.labels ?? {}) } },
    spec: {
      runPolicy: opts.runPolicy,
      source: { type: 'Git', git: { uri: opts.gitUri ?? 'https://git.example.com/app.git', ref: opts.ref ?? 'master' } },
      strategy: {
        type: 'Custom',
        customStrategy: {
          from: { kind: 'DockerImage', name: 'buildroot:latest' },
          exposeDockerSocket: true,
          env: [{ name: 'ATOMIC_REACTOR_PLUGINS', value: JSON.stringify(opts.plugins ?? { prebuild_plugins: [], postbuild_plugins: [], exit_plugins: [] }) }]
        }
      },
      output: { to: { kind: 'DockerImage', name: `user/${name}:none-12345-20260101000000` } },
      triggers: opts.triggers ?? []
    }
  }
}

/** A git repository with one commit of a Dockerfile (and optional files); returns its file:// URI. */
export function makeGitRepo(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-repo-'))
  const all = { Dockerfile: 'FROM fedora:latest\nLABEL name="user/app" version="1.0" com.redhat.component="app"\nRUN true\n', ...files }
  for (const [f, content] of Object.entries(all)) writeFileSync(join(dir, f), content)
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' }
    })
  git('init', '-q', '-b', 'master')
  git('add', '.')
  git('commit', '-q', '-m', 'initial')
  return `file://${dir}`
}

/** Poll `fn` until it returns a truthy value (at most `ms`). */
export async function eventually<T>(fn: () => T | undefined | null | false, ms = 10000, step = 10): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, step))
  }
}

/**
 * A build pod under the test's control: each Build that reaches Running registers here and stays Running until
 * the test calls `finish` (or the build is cancelled).
 */
export class ManualReactor {
  readonly hosts = new Map<string, import('../src/reactor/host.js').ReactorHost>()
  /** build names in the order their pods started */
  readonly started: string[] = []
  private readonly resolvers = new Map<string, (r: import('../src/reactor/host.js').ReactorResult) => void>()

  readonly reactor = (host: import('../src/reactor/host.js').ReactorHost): Promise<import('../src/reactor/host.js').ReactorResult> => {
    const name = host.build.metadata.name
    this.hosts.set(name, host)
    this.started.push(name)
    return new Promise((resolve) => {
      this.resolvers.set(name, resolve)
      host.signal.addEventListener('abort', () => resolve({ success: false, reason: 'CancelledBuild', message: 'The build was cancelled by the user.' }), { once: true })
    })
  }

  /** End the pod of `name` with `result` (default: success). */
  finish(name: string, result: import('../src/reactor/host.js').ReactorResult = { success: true }): void {
    const r = this.resolvers.get(name)
    if (!r) throw new Error(`no running pod for ${name}`)
    this.resolvers.delete(name)
    r(result)
  }

  waitStarted(name: string, ms = 10000): Promise<import('../src/reactor/host.js').ReactorHost> {
    return eventually(() => this.hosts.get(name), ms)
  }
}

/** JSON type of a value as the comparison tests name it. */
export function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v
}

/**
 * Every path of a JSON value with its type: `a.b`, arrays as `a[]` (the union over their items), map keys as
 * path segments.
 */
export function jsonPaths(v: unknown, prefix = '', out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  if (v && typeof v === 'object') {
    if (Array.isArray(v)) {
      for (const item of v) {
        const p = `${prefix}[]`
        if (!out.has(p)) out.set(p, new Set())
        out.get(p)!.add(jsonType(item))
        jsonPaths(item, p, out)
      }
    } else {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const p = prefix ? `${prefix}.${k}` : k
        if (!out.has(p)) out.set(p, new Set())
        out.get(p)!.add(jsonType(x))
        jsonPaths(x, p, out)
      }
    }
  }
  return out
}

/** Swagger 2.0 definitions, as in the OpenAPI files of OpenShift. */
export type SwaggerDefs = Record<string, any>

/**
 * The swagger schema at `path` (segments as jsonPaths writes them) under definition `root`, or undefined when
 * the path is not part of the type. Map keys match `additionalProperties`.
 */
export function swaggerSchemaAt(defs: SwaggerDefs, root: string, path: string): any {
  let schema: any = { $ref: `#/definitions/${root}` }
  const segs =
    path === ''
      ? []
      : path
          .replace(/\[\]/g, '.[]')
          .split('.')
          .filter((s) => s !== '')
  const deref = (s: any) => {
    let guard = 0
    while (s?.$ref && guard++ < 50) s = defs[s.$ref.replace('#/definitions/', '')]
    return s
  }
  schema = deref(schema)
  for (const seg of segs) {
    if (!schema) return undefined
    if (seg === '[]') {
      if (schema.type !== 'array') return undefined
      schema = deref(schema.items)
      continue
    }
    if (schema.properties?.[seg]) schema = deref(schema.properties[seg])
    else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') schema = deref(schema.additionalProperties)
    else if (schema.type === 'object' && !schema.properties && schema.additionalProperties === undefined) return { type: 'any' }
    else return undefined
  }
  return schema
}
