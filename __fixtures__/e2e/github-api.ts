/**
 * GitHub's REST API on loopback, as its published description says it is: every request is matched against the
 * operations of `@octokit/openapi` (GitHub's own OpenAPI description of api.github.com, dereferenced), and its path
 * parameters and JSON body are validated with ajv against the operation's schemas. A request that matches no
 * operation, or does not validate, is answered as GitHub answers it (404, 422) and recorded with its problems, so a
 * test can require none. Only creating a commit status is carried out (201, with a body that is checked against the
 * operation's response schema too); any other operation of the description is answered 501.
 *
 * Beyond the description, what github.com does and the description does not say: a request without a User-Agent is
 * refused (403), a token other than the one given is `401 Bad credentials`, and a status description past 140
 * characters is `422 description is too long (maximum is 140 characters)`. `refuse: 403` answers as GitHub answers a
 * job token without `statuses: write`: `403 Resource not accessible by integration`, with the header
 * `X-Accepted-GitHub-Permissions: statuses=write`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

const require = createRequire(import.meta.url)

interface Operation {
  operationId: string
  parameters?: { name: string; in: string; required?: boolean; schema?: object; 'x-multi-segment'?: boolean }[]
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> }
  responses: Record<string, { content?: Record<string, { schema: object; examples?: Record<string, { value: unknown }> }> }>
}

interface Route {
  method: string
  template: string
  pattern: RegExp
  names: string[]
  operation: Operation
}

export interface ReceivedRequest {
  method: string
  path: string
  /** The operation it matched (`repos/create-commit-status`), when one. */
  operationId?: string
  params: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: unknown
  /** What the description (or GitHub) finds wrong with it; empty for a valid request. */
  problems: string[]
  /** The HTTP status it was answered with. */
  answered: number
}

export interface GithubApi {
  /** GITHUB_API_URL of this server. */
  url: string
  /** The only token it accepts. */
  token: string
  requests: ReceivedRequest[]
  /** Answer the commit statuses with this refusal from now on (undefined: create them). */
  refuse: 403 | undefined
  close(): Promise<void>
}

let routes: Route[] | undefined
const ajv = new Ajv({ strict: false, allErrors: true })
;(addFormatsModule as unknown as (a: Ajv) => void)(ajv)
const validators = new Map<object, ValidateFunction>()

/** Every operation of GitHub's description, as a route (read once: the file is 70 MB). */
function githubRoutes(): Route[] {
  if (routes) return routes
  const description = require('@octokit/openapi/generated/api.github.com.deref.json') as { paths: Record<string, Record<string, Operation>> }
  routes = []
  for (const [template, item] of Object.entries(description.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue
      const names: string[] = []
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
        names.push(name)
        const multi = operation.parameters?.find((p) => p.in === 'path' && p.name === name)?.['x-multi-segment']
        return multi ? '(.+)' : '([^/]+)'
      })
      routes.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), names, operation })
    }
  }
  // Literal paths before templated ones (`/repos/{owner}/{repo}/statuses/{sha}` before nothing else, but `/user/repos` before `/user/{x}`).
  routes.sort((a, b) => a.names.length - b.names.length)
  return routes
}

function validator(schema: object): ValidateFunction {
  let v = validators.get(schema)
  if (!v) validators.set(schema, (v = ajv.compile(schema)))
  return v
}

function schemaProblems(schema: object, value: unknown, where: string): string[] {
  const validate = validator(schema)
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message ?? e.keyword}`)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** The 201 body of a created status: the description's example, with this status's values. */
function createdStatus(operation: Operation, url: string, body: Record<string, unknown>, id: number): unknown {
  const content = operation.responses['201']!.content!['application/json']!
  const example = structuredClone(content.examples?.default?.value ?? {}) as Record<string, unknown>
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  return {
    ...example,
    url,
    id,
    node_id: Buffer.from(`Status${id}`).toString('base64'),
    state: body.state,
    description: body.description ?? null,
    target_url: body.target_url ?? null,
    context: body.context ?? 'default',
    created_at: now,
    updated_at: now
  }
}

/** Starts the server; `token` is the only one it accepts. */
export async function startGithubApi(token: string): Promise<GithubApi> {
  const all = githubRoutes()
  const requests: ReceivedRequest[] = []
  let nextId = 1
  const api: GithubApi = { url: '', token, requests, refuse: undefined, close: async () => {} }
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const text = await readBody(req)
      const record: ReceivedRequest = { method: req.method ?? '', path: url.pathname, params: {}, headers: req.headers, body: undefined, problems: [], answered: 0 }
      requests.push(record)
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        record.answered = status
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3; format=json', ...headers })
        res.end(JSON.stringify(body))
      }
      const docs = 'https://docs.github.com/rest'
      const route = all.find((r) => r.method === record.method && r.pattern.test(url.pathname))
      const match = route?.pattern.exec(url.pathname)
      if (!route || !match) {
        record.problems.push(`no operation of GitHub's REST API is ${record.method} ${url.pathname}`)
        return answer(404, { message: 'Not Found', documentation_url: docs, status: '404' })
      }
      const { operation } = route
      record.operationId = operation.operationId
      route.names.forEach((name, i) => (record.params[name] = decodeURIComponent(match[i + 1]!)))
      for (const p of operation.parameters ?? []) if (p.in === 'path' && p.schema) record.problems.push(...schemaProblems(p.schema, record.params[p.name], `path parameter ${p.name}`))
      if (!req.headers['user-agent']) {
        record.problems.push('no User-Agent header')
        return answer(403, { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header', documentation_url: docs, status: '403' })
      }
      if (req.headers.authorization !== `Bearer ${token}` && req.headers.authorization !== `token ${token}`) {
        record.problems.push('not the token of this run')
        return answer(401, { message: 'Bad credentials', documentation_url: docs, status: '401' })
      }
      const bodySchema = operation.requestBody?.content['application/json']?.schema
      if (bodySchema) {
        if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) record.problems.push(`content-type ${req.headers['content-type']} is not application/json`)
        try {
          record.body = JSON.parse(text)
        } catch {
          record.problems.push('the body is not JSON')
          return answer(400, { message: 'Problems parsing JSON', documentation_url: docs, status: '400' })
        }
        record.problems.push(...schemaProblems(bodySchema, record.body, 'body'))
      }
      if (record.problems.length > 0) return answer(422, { message: 'Invalid request.', errors: record.problems, documentation_url: docs, status: '422' })
      if (operation.operationId !== 'repos/create-commit-status') return answer(501, { message: `${operation.operationId} is not served here` })
      const body = record.body as Record<string, unknown>
      if (typeof body.description === 'string' && Array.from(body.description).length > 140) {
        record.problems.push('description is too long (maximum is 140 characters)')
        return answer(422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Status', code: 'custom', field: 'description', message: 'description is too long (maximum is 140 characters)' }],
          documentation_url: docs,
          status: '422'
        })
      }
      if (api.refuse === 403)
        return answer(
          403,
          { message: 'Resource not accessible by integration', documentation_url: `${docs}/commits/statuses#create-a-commit-status`, status: '403' },
          { 'x-accepted-github-permissions': 'statuses=write' }
        )
      const created = createdStatus(operation, `${api.url}${url.pathname}`, body, nextId++)
      const responseProblems = schemaProblems(operation.responses['201']!.content!['application/json']!.schema, created, 'the answer')
      if (responseProblems.length > 0) throw new Error(`the stand-in's own answer does not follow the description: ${responseProblems.join('; ')}`)
      answer(201, created, { location: `${api.url}${url.pathname}` })
    })().catch((error: unknown) => {
      res.writeHead(500)
      res.end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  api.close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return api
}
