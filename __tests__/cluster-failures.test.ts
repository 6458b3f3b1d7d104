/**
 * The client against servers that fail it: 401 and 403 said once and never retried (the 403 naming the verb, the
 * resource, the namespace and the role), a server's echo of a credential redacted, a server that never answers
 * given up on per request, a watch that is never answered, TLS failures by reason, and a close that always ends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { Cluster, ClusterError, tlsProblem } from '../src/cluster/index.js'
import type { ConnectionSettings } from '../src/settings.js'

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void
let handler: Handler = (_req, res) => res.end()
const seen: string[] = []
let server: http.Server
let base: string
const TOKEN = 'sha256~failing-token-value'

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    handler(req, res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})
beforeEach(() => {
  seen.length = 0
})

const conn = (extra: Partial<ConnectionSettings> = {}): ConnectionSettings => ({ server: base, token: TOKEN, insecureSkipTlsVerify: true, ...extra })
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5, attempts: 6 } }
const client = (extra: Partial<ConnectionSettings> = {}, env: Record<string, string> = {}): Cluster => Cluster.fromSettings(conn(extra), { namespace: 'ns', env, ...fast })
const statusBody = (code: number, reason: string, message: string, extra: object = {}): string =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code, ...extra })
const answer =
  (code: number, body: string, type = 'application/json'): Handler =>
  (_req, res) => {
    res.writeHead(code, { 'content-type': type })
    res.end(body)
  }
const failure = (promise: Promise<unknown>): Promise<ClusterError> =>
  promise.then(
    () => Promise.reject(new Error('no error')),
    (e: unknown) => e as ClusterError
  )

describe('401 and 403', () => {
  it('a 401 is said once, with what to do, and never retried', async () => {
    handler = answer(401, statusBody(401, 'Unauthorized', 'Unauthorized'))
    const error = await failure(client().getBuild('app-1'))
    expect(error.status).toBe(401)
    expect(error.message).toMatch(/^GET builds\/app-1 in namespace ns failed: 401 Unauthorized: Unauthorized — the server rejected the credentials \(the token expired or was revoked/)
    expect(error.message).toContain('give a valid openshift-token')
    expect(seen).toHaveLength(1)
  })

  it('a 403 names the verb, the resource, its API group, the namespace, the account and the role; never retried', async () => {
    const forbidden =
      'buildconfigs.build.openshift.io "app" is forbidden: User "system:serviceaccount:ns:ci" cannot create resource "buildconfigs/instantiate" in API group "build.openshift.io" in the namespace "ns"'
    handler = answer(403, statusBody(403, 'Forbidden', forbidden))
    const instantiate = await failure(client().instantiate('app', { kind: 'BuildRequest' }))
    expect(instantiate.message).toBe(
      `POST buildconfigs/app/instantiate in namespace ns failed: 403 Forbidden: ${forbidden} — system:serviceaccount:ns:ci may not create buildconfigs/instantiate in API group build.openshift.io in namespace ns: grant it a role that allows create on buildconfigs/instantiate (e.g. oc policy add-role-to-user edit system:serviceaccount:ns:ci -n ns: the edit role allows every request of the action)`
    )
    expect(seen).toHaveLength(1)

    handler = answer(403, statusBody(403, 'Forbidden', 'forbidden'))
    expect((await failure(client().listBuilds({ labelSelector: 'buildconfig=app' }))).message).toContain('— the account may not list builds in API group build.openshift.io in namespace ns')
    expect((await failure(client().replaceImageStream({ metadata: { name: 'app' } }))).message).toContain('may not update imagestreams in API group image.openshift.io in namespace ns')
    expect((await failure(client().getSecret('creds'))).message).toContain('may not get secrets in namespace ns: grant it a role that allows get on secrets')
    const watch = client().watch('build', 'builds', { fieldSelector: 'metadata.name=app-1' })
    expect((await failure(watch.next())).message).toContain('may not watch builds in API group build.openshift.io in namespace ns')
    expect(seen).toHaveLength(5)
  })
})

describe("a server's echo of a credential", () => {
  it('is replaced by *** in the Status message, its causes, a text body and an in-stream watch error', async () => {
    handler = (req, res) => {
      const auth = req.headers.authorization ?? ''
      const token = auth.replace(/^Bearer /, '')
      if (req.url?.includes('watch=true')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 500, reason: 'InternalError', message: `watch for ${token} failed` } }) + '\n')
      } else if (req.method === 'PUT')
        answer(422, statusBody(422, 'Invalid', `rejected ${auth}`, { details: { causes: [{ field: 'metadata.annotations', message: `holds "${JSON.stringify(token).slice(1, -1)}"` }] } }))(req, res)
      else answer(400, `bad request from ${auth} (${token})`, 'text/plain')(req, res)
    }
    const c = client()
    const errors = [await failure(c.getBuild('app-1')), await failure(c.replaceBuildConfig({ metadata: { name: 'app' } })), await failure(c.watch('build', 'builds', {}).next())]
    expect(errors.map((e) => e.message)).toEqual([
      'GET builds/app-1 in namespace ns failed: 400 BadRequest: bad request from Bearer *** (***)',
      'PUT buildconfigs/app in namespace ns failed: 422 Invalid: rejected Bearer *** (metadata.annotations: holds "***")',
      'GET builds in namespace ns (watch) failed: 500 InternalError: watch for *** failed'
    ])
    for (const error of errors) expect(JSON.stringify({ ...error, statusObject: error.statusObject })).not.toContain('failing-token')
  })

  it('a Basic credential (user and password of a kubeconfig) is redacted as sent and as given', async () => {
    handler = (req, res) => answer(401, statusBody(401, 'Unauthorized', `no user for ${req.headers.authorization}`))(req, res)
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "${base}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: u, user: {username: builder, password: "pass-word-1234"}}]',
      'contexts: [{name: x, context: {cluster: c, user: u, namespace: ns}}]',
      'current-context: x'
    ].join('\n')
    const c = Cluster.fromSettings({ kubeconfig: { inline: kubeconfig }, insecureSkipTlsVerify: false }, { env: {}, ...fast })
    const error = await failure(c.getBuild('app-1'))
    expect(error.message).toContain('401 Unauthorized: no user for Basic *** —')
    expect(error.message).not.toContain(Buffer.from('builder:pass-word-1234').toString('base64'))
  })
})

/** A server that accepts connections and never answers; counts the requests it was sent. */
async function silentServer(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>()
  let requests = 0
  const silent = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket)).on('error', () => undefined)
    socket.on('data', (chunk: Buffer) => (requests += chunk.toString('latin1').match(/^(GET|POST|PUT|PATCH|DELETE) \//gm)?.length ?? 0))
  })
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    requests: () => requests,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise((r) => silent.close(r))
    }
  }
}

describe('a server that never answers', () => {
  it('an ordinary request is given up after the time limit of OSBS_REQUEST_TIMEOUT_SECONDS, three attempts in all', async () => {
    const silent = await silentServer()
    try {
      const c = client({ server: silent.url }, { OSBS_REQUEST_TIMEOUT_SECONDS: '0.2' })
      const error = await failure(c.getBuild('app-1'))
      expect(error.code).toBe('TIMEOUT')
      expect(error.message).toBe(
        `GET builds/app-1 in namespace ns failed: ${silent.url} did not answer within 0.2 s (3 attempts): check that openshift-server is the address of the API server and that it is up (the time limit of one request is OSBS_REQUEST_TIMEOUT_SECONDS, default 30)`
      )
      expect(silent.requests()).toBe(3)
      // a POST that may have reached the server is not sent again
      const post = await failure(c.instantiate('app', {}))
      expect(post.message).toMatch(/did not answer within 0\.2 s: check/)
      expect(post.ambiguous).toBe(true)
      expect(silent.requests()).toBe(4)
      await c.close()
    } finally {
      await silent.close()
    }
  })

  it('a watch that is never answered is a failure after the time limit of a request, not a quiet end to watch again', async () => {
    const silent = await silentServer()
    try {
      const c = Cluster.fromSettings(conn({ server: silent.url }), { namespace: 'ns', env: {}, requestTimeoutMs: 200 })
      const error = await failure(c.watch('build', 'builds', { fieldSelector: 'metadata.name=app-1' }, { inactivityMs: 60_000 }).next())
      expect(error).toBeInstanceOf(ClusterError)
      expect(error.code).toBe('TIMEOUT')
      expect(error.message).toBe(`GET builds in namespace ns (watch) failed: ${silent.url} did not answer within 0.2 s`)
      await c.close()
    } finally {
      await silent.close()
    }
  })

  it('close() ends while a request and a log stream are still running; a later request is refused at once', async () => {
    const silent = await silentServer()
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('first line\n')
    }
    try {
      const streaming = client()
      const log = await streaming.buildLog('app-1', { follow: true })
      const reading = (async () => {
        for await (const chunk of log) void chunk
      })().catch((e: unknown) => e)
      const hanging = Cluster.fromSettings(conn({ server: silent.url }), { namespace: 'ns', env: {} })
      const pending = failure(hanging.getBuild('app-1'))
      await new Promise<void>((resolve) => {
        const check = (): void => void (silent.requests() > 0 ? resolve() : setTimeout(check, 10))
        check()
      })
      await Promise.all([streaming.close(), hanging.close()])
      expect((await pending).name).toBe('ClientClosedError')
      expect(((await reading) as Error).name).toBe('ClientClosedError')
      expect((await failure(hanging.getBuild('app-1'))).message).toBe('GET builds/app-1 in namespace ns: the connection to the cluster was closed at the end of the run')
    } finally {
      server.closeAllConnections()
      await silent.close()
    }
  })
})

describe('TLS failures by reason', () => {
  it('names the reason and what to do for each kind of certificate problem', () => {
    expect(tlsProblem('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", { host: '10.0.0.5', certificateNames: 'DNS:api.example.com' })).toBe(
      'the server certificate is for another host name (10.0.0.5 is not among the names it holds: DNS:api.example.com): give openshift-server with a host name the certificate holds (or tls-server-name in a kubeconfig)'
    )
    expect(tlsProblem('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')).toMatch(
      /^the server certificate is not trusted: it is signed by an unknown certificate authority \(self-signed certificate\): give certificate-authority/
    )
    // Node's advice about its own command line is no advice for a step
    expect(tlsProblem('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate; if the root CA is installed locally, try running Node.js with --use-system-ca')).not.toContain('use-system-ca')
    expect(tlsProblem('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate')).toContain('unknown certificate authority')
    expect(tlsProblem('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain')).toContain('give certificate-authority')
    expect(tlsProblem('CERT_HAS_EXPIRED', 'certificate has expired')).toBe("the server certificate has expired (certificate has expired): the cluster's certificate must be renewed")
    expect(tlsProblem('CERT_NOT_YET_VALID', 'certificate is not yet valid')).toContain('check the clock')
    expect(tlsProblem('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number')).toContain('does not speak TLS on this port')
    expect(tlsProblem('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')).toBeUndefined()
    expect(tlsProblem(undefined, 'terminated')).toBeUndefined()
  })
})
