/**
 * The local OpenShift's git server: repositories over git's smart HTTP protocol, behind HTTP basic authentication,
 * as a private GitHub repository is served to a build that clones it with a token.
 *
 * Git's own `git http-backend` (Debian's git package: /usr/lib/git-core) speaks the protocol, run as a CGI per
 * request. Written here rather than taken from npm: the glue is the CGI environment and the parse of the CGI
 * answer's headers (~40 lines), while the packages that serve git over HTTP (`node-git-server`,
 * `git-http-backend`) re-implement the protocol's negotiation in JavaScript, without protocol v2, which the git of
 * a build (2.18 and later) asks for.
 */
import { spawn } from 'node:child_process'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend'

export interface GitServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  /** the one account that may read (a GitHub token is the password of any user name) */
  readonly username: string
  readonly password: string
  /** every request: the user it authenticated as (none when refused), its path and the answer's status */
  readonly requests: { method: string; path: string; user?: string; status: number }[]
  /** Serve the repository at `dir` (its working tree's `.git`, or a bare one) as `<url>/<name>.git`; its clone URL. */
  publish(name: string, dir: string, bare?: boolean): string
  close(): Promise<void>
}

/** The user of a request's `Authorization: Basic …` when it matches the account, else undefined. */
function authenticated(request: IncomingMessage, username: string, password: string): string | undefined {
  const header = request.headers.authorization ?? ''
  if (!header.startsWith('Basic ')) return undefined
  const given = Buffer.from(header.slice(6), 'base64')
  const wanted = Buffer.from(`${username}:${password}`)
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? username : undefined
}

/** Run git http-backend for one request (RFC 3875's variables) and relay its answer. */
function cgi(request: IncomingMessage, response: ServerResponse, root: string, user: string, done: (status: number) => void): void {
  const url = new URL(request.url ?? '/', 'http://git')
  const child = spawn(HTTP_BACKEND, [], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: root,
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      REMOTE_USER: user,
      REMOTE_ADDR: request.socket.remoteAddress ?? '',
      ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(request.headers['content-encoding']) } : {}),
      ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {})
    },
    stdio: ['pipe', 'pipe', 'ignore']
  })
  request.pipe(child.stdin)
  child.stdin.on('error', () => undefined)
  let head = Buffer.alloc(0)
  let status = 200
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk])
    const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n')
    if (end < 0) return
    child.stdout.off('data', onData)
    const separator = head[end] === 13 ? 4 : 2
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':')
      const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()]
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500
      else if (name) response.setHeader(name, value)
    }
    response.writeHead(status)
    response.write(head.subarray(end + separator))
    child.stdout.pipe(response)
  }
  child.stdout.on('data', onData)
  child.on('error', () => {
    if (!response.headersSent) response.writeHead(500)
    response.end()
  })
  child.on('close', () => {
    if (!response.headersSent) response.writeHead(502)
    response.end()
    done(status)
  })
}

/** Start a git server on 127.0.0.1 with one account (random credentials unless given). */
export async function startGitServer(options: { username?: string; password?: string } = {}): Promise<GitServer> {
  const root = mkdtempSync(join(tmpdir(), 'local-openshift-git-'))
  const username = options.username ?? 'builder'
  const password = options.password ?? `gho_${randomBytes(18).toString('hex')}`
  const requests: GitServer['requests'] = []
  const server = createServer((request, response) => {
    const entry: GitServer['requests'][number] = { method: request.method ?? '', path: request.url ?? '', status: 401 }
    requests.push(entry)
    const user = authenticated(request, username, password)
    if (!user) {
      // as GitHub answers a private repository without credentials: a challenge for basic authentication
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="local OpenShift git"', 'Content-Type': 'text/plain' })
      response.end('Authentication required\n')
      request.resume()
      return
    }
    entry.user = user
    cgi(request, response, root, user, (status) => (entry.status = status))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    username,
    password,
    requests,
    publish(name, dir, bare = false) {
      symlinkSync(bare ? dir : join(dir, '.git'), join(root, `${name}.git`))
      return `${url}/${name}.git`
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(root, { recursive: true, force: true })
    }
  }
}
