import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { caDataFromPem, Cluster, ClusterError, loadConfig, proxyFor, parseRetryAfter } from '../src/cluster/index.js'
import type { ConnectionSettings } from '../src/settings.js'
import { checkSecrets, followLog, runningBuilds } from '../src/flow/index.js'
import type { BuildPlan } from '../src/plan/plan.js'
import { RecordingReporter } from '../__fixtures__/e2e/plan.js'
import { startForwardProxy } from '../__fixtures__/forward-proxy.js'

const packageVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

/** A tiny API server whose answers each test scripts: a queue of handlers per "METHOD path". */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void
const script = new Map<string, Handler[]>()
const seen: { method: string; url: string; auth?: string; body: string; contentType?: string; userAgent?: string }[] = []
let server: http.Server
let base: string
const TOKEN = 'sha256~secret-token-value'

function on(key: string, ...handlers: Handler[]): void {
  script.set(key, [...(script.get(key) ?? []), ...handlers])
}
const status =
  (code: number, reason: string, message: string, headers: Record<string, string> = {}): Handler =>
  (_q, res) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }))
  }
const json =
  (obj: unknown, code = 200): Handler =>
  (_q, res) => {
    res.writeHead(code, { 'content-type': 'application/json' })
    res.end(JSON.stringify(obj))
  }
const reset: Handler = (req) => req.socket.destroy()

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body, contentType: req.headers['content-type'], userAgent: req.headers['user-agent'] })
      const queue = script.get(`${req.method} ${path}`)
      const handler = queue && queue.length > 1 ? queue.shift()! : queue?.[0]
      if (handler) handler(req, res, body)
      else status(404, 'NotFound', `no route ${path}`)(req, res, body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})
beforeEach(() => {
  script.clear()
  seen.length = 0
})

const conn = (extra: Partial<ConnectionSettings> = {}): ConnectionSettings => ({
  server: base,
  token: TOKEN,
  insecureSkipTlsVerify: true,
  ...extra
})
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5, attempts: 6 } }
const client = (extra: Partial<ConnectionSettings> = {}): Cluster => Cluster.fromSettings(conn(extra), { namespace: 'ns', env: {}, ...fast })
const BC = '/apis/build.openshift.io/v1/namespaces/ns/buildconfigs/app'

describe('requests', () => {
  it('sends the bearer token and builds group paths', async () => {
    on(`GET ${BC}`, json({ metadata: { name: 'app' } }))
    const c = client()
    expect((await c.getBuildConfig('app'))?.metadata.name).toBe('app')
    expect(seen[0].auth).toBe(`Bearer ${TOKEN}`)
    expect(seen[0].url).toBe(BC)
    expect(seen[0].userAgent).toBe(`osbs-build-action/${packageVersion}`)
    await c.close()
  })

  it('returns undefined for a missing BuildConfig', async () => {
    on(`GET ${BC}`, status(404, 'NotFound', 'buildconfigs.build.openshift.io "app" not found'))
    expect(await client().getBuildConfig('app')).toBeUndefined()
  })

  it('retries bursts of 500/503 and connection resets on GET', async () => {
    on(`GET ${BC}`, status(500, 'InternalError', 'boom'), reset, status(503, 'ServiceUnavailable', 'busy'), reset, json({ metadata: { name: 'app' } }))
    expect((await client().getBuildConfig('app'))?.metadata.name).toBe('app')
    expect(seen.filter((s) => s.method === 'GET')).toHaveLength(5)
  })

  it('honours Retry-After on 429', async () => {
    const waits: number[] = []
    on(`GET ${BC}`, status(429, 'TooManyRequests', 'slow down', { 'retry-after': '2' }), json({ metadata: { name: 'app' } }))
    const c = Cluster.fromSettings(conn(), {
      namespace: 'ns',
      env: {},
      ...fast,
      sleep: async (ms) => {
        waits.push(ms)
      }
    })
    await c.getBuildConfig('app')
    expect(waits).toEqual([2000])
  })

  it('gives up after the last attempt with the server message', async () => {
    on(`GET ${BC}`, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'))
    await expect(client().getBuildConfig('app')).rejects.toThrow('GET buildconfigs/app in namespace ns failed: 503 ServiceUnavailable: the server is currently unable to handle the request')
    expect(seen).toHaveLength(6)
  })

  it('never retries an instantiate that may have reached the server', async () => {
    on(`POST ${BC}/instantiate`, status(500, 'InternalError', 'etcd timeout'))
    const error = (await client()
      .instantiate('app', { kind: 'BuildRequest' })
      .catch((e) => e)) as ClusterError
    expect(error).toBeInstanceOf(ClusterError)
    expect(error.ambiguous).toBe(true)
    expect(error.message).toBe('POST buildconfigs/app/instantiate in namespace ns failed: 500 InternalError: etcd timeout')
    expect(seen).toHaveLength(1)

    seen.length = 0
    script.clear()
    on(`POST ${BC}/instantiate`, reset)
    const lost = (await client()
      .instantiate('app', {})
      .catch((e) => e)) as ClusterError
    expect(lost.ambiguous).toBe(true)
    expect(lost.message).toMatch(/^POST buildconfigs\/app\/instantiate in namespace ns failed: could not reach/)
    expect(seen).toHaveLength(1)
  })

  it('names the request and says what to check on 401, without the token', async () => {
    on(`GET ${BC}`, status(401, 'Unauthorized', 'Unauthorized'))
    const error = (await client()
      .getBuildConfig('app')
      .catch((e) => e)) as Error
    expect(error.message).toBe(
      'GET buildconfigs/app in namespace ns failed: 401 Unauthorized: Unauthorized — the server rejected the credentials (the token expired or was revoked, or it is not a token of this cluster): give a valid openshift-token (e.g. a service account token: oc sa get-token <service account> on OpenShift 3.x, oc create token <service account> on 4.x), a kubeconfig whose user can log in, or oidc-audience as the cluster expects it'
    )
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain('secret-token-value')
  })

  it('adds the causes of a 422', async () => {
    on(`PUT ${BC}`, (_q, res) => {
      res.writeHead(422, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          kind: 'Status',
          status: 'Failure',
          reason: 'Invalid',
          code: 422,
          message: 'BuildConfig.build.openshift.io "app" is invalid',
          details: { causes: [{ field: 'spec.runPolicy', message: 'Unsupported value: "x"' }] }
        })
      )
    })
    await expect(client().replaceBuildConfig({ metadata: { name: 'app', resourceVersion: '1' } })).rejects.toThrow(
      'PUT buildconfigs/app in namespace ns failed: 422 Invalid: BuildConfig.build.openshift.io "app" is invalid (spec.runPolicy: Unsupported value: "x")'
    )
  })

  it('cancels with a merge patch, and falls back to GET + PUT', async () => {
    const B = '/apis/build.openshift.io/v1/namespaces/ns/builds/app-1'
    on(`PATCH ${B}`, json({ metadata: { name: 'app-1' }, status: { cancelled: true } }))
    await client().cancelBuild('app-1')
    expect(seen[0].contentType).toBe('application/merge-patch+json')
    expect(JSON.parse(seen[0].body)).toEqual({ status: { cancelled: true } })

    script.clear()
    seen.length = 0
    on(`PATCH ${B}`, status(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format'))
    on(`GET ${B}`, json({ metadata: { name: 'app-1', resourceVersion: '7' }, status: { phase: 'Running' } }))
    on(`PUT ${B}`, status(409, 'Conflict', 'modified'), json({ metadata: { name: 'app-1' }, status: { cancelled: true } }))
    await client().cancelBuild('app-1')
    const puts = seen.filter((s) => s.method === 'PUT')
    expect(puts).toHaveLength(2)
    expect(JSON.parse(puts[1].body).status).toEqual({ phase: 'Running', cancelled: true })
  })

  it("links a build to the web console when the cluster publishes the console's URL, else to the API", async () => {
    const c = client()
    expect(await c.buildPageUrl('app-1')).toBe(`${base}/apis/build.openshift.io/v1/namespaces/ns/builds/app-1`)
    on('GET /api/v1/namespaces/openshift-config-managed/configmaps/console-public', json({ metadata: { name: 'console-public' }, data: { consoleURL: 'https://console.apps.example.com/' } }))
    expect(await c.buildPageUrl('app-1')).toBe('https://console.apps.example.com/k8s/ns/ns/builds/app-1')
  })

  it("a project's account may not read console-public (3.11's RBAC 403): no console URL, no error", async () => {
    const message = 'configmaps "console-public" is forbidden: User "system:serviceaccount:osbs:osbs-action" cannot get configmaps in the namespace "openshift-config-managed": no RBAC policy matched'
    on('GET /api/v1/namespaces/openshift-config-managed/configmaps/console-public', status(403, 'Forbidden', message))
    const c = client()
    await expect(c.consoleUrl()).resolves.toBeUndefined()
    expect(await c.buildPageUrl('app-1')).toBe(`${base}/apis/build.openshift.io/v1/namespaces/ns/builds/app-1`)
  })

  it('says when the server is not OpenShift', async () => {
    await expect(client().checkBuildApi()).rejects.toThrow(`${base} does not serve build.openshift.io/v1 — is it an OpenShift cluster?`)
    on('GET /apis/build.openshift.io/v1', json({ kind: 'APIResourceList', resources: [{ name: 'buildconfigs' }, { name: 'builds' }] }))
    await expect(client().checkBuildApi()).resolves.toBeUndefined()
  })

  it('streams a log and reads watch events, ending quietly when the watch goes silent', async () => {
    const B = '/apis/build.openshift.io/v1/namespaces/ns/builds'
    on(`GET ${B}/app-1/log`, (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('a\n')
      setTimeout(() => res.end('b\n'), 20)
    })
    const chunks: string[] = []
    for await (const chunk of await client().buildLog('app-1', { follow: true, timestamps: true })) chunks.push(Buffer.from(chunk).toString())
    expect(chunks.join('')).toBe('a\nb\n')
    expect(seen[0].url).toBe('/apis/build.openshift.io/v1/namespaces/ns/builds/app-1/log?follow=true&timestamps=true')

    on(`GET ${B}`, (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write(JSON.stringify({ type: 'MODIFIED', object: { metadata: { name: 'app-1', resourceVersion: '9' } } }) + '\n')
      // then silence: the client ends the watch after its inactivity limit
    })
    const events = []
    for await (const e of client().watch('build', 'builds', { fieldSelector: 'metadata.name=app-1', resourceVersion: '5' }, { inactivityMs: 300 })) events.push(e)
    expect(events.map((e) => e.object.metadata.resourceVersion)).toEqual(['9'])
  })

  it('turns an in-stream 410 into an error with status 410', async () => {
    on('GET /apis/build.openshift.io/v1/namespaces/ns/builds', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' } }) + '\n')
    })
    const it = client().watch('build', 'builds', { resourceVersion: '1' })
    await expect(it.next()).rejects.toMatchObject({ status: 410 })
  })
})

describe('flow requests', () => {
  const BUILDS = '/apis/build.openshift.io/v1/namespaces/ns/builds'
  const build = (name: string, labels: Record<string, string>, phase: string) => ({ metadata: { name, labels, annotations: {} }, status: { phase } })

  it('SPEC §6.2: running builds are listed by both the current and the older label', async () => {
    on(`GET ${BUILDS}`, (req, res, body) => {
      const selector = new URL(req.url!, base).searchParams.get('labelSelector')
      const items =
        selector === 'openshift.io/build-config.name=app'
          ? [build('app-3', { 'openshift.io/build-config.name': 'app', buildconfig: 'app' }, 'Running'), build('app-2', {}, 'Complete')]
          : selector === 'buildconfig=app'
            ? [build('app-1', { buildconfig: 'app' }, 'Pending'), build('app-3', { buildconfig: 'app' }, 'Running')]
            : []
      json({ metadata: {}, items })(req, res, body)
    })
    const running = await runningBuilds(client(), 'app')
    expect(running.map((b) => b.metadata.name)).toEqual(['app-1', 'app-3'])
    expect(seen.map((r) => new URL(r.url, base).searchParams.get('labelSelector')).sort()).toEqual(['buildconfig=app', 'openshift.io/build-config.name=app'])
  })

  it('SPEC §6.4: a log asked for before the build runs (504, then 400) is asked for again; lines lose their timestamp, are grouped per plugin, ERROR lines become annotations', async () => {
    const BUILD = `${BUILDS}/app-1`
    on(`GET ${BUILD}`, json(build('app-1', {}, 'Pending')), json(build('app-1', {}, 'Complete')))
    on(
      `GET ${BUILD}/log`,
      status(504, 'Timeout', 'Timeout: timed out waiting for build app-1 to start after 10s'),
      status(400, 'BadRequest', 'unable to wait for build app-1 to run: timed out waiting for the condition'),
      (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end(
          [
            "2026-01-01T00:00:01.000000000Z 2026-01-01 00:00:01,000 platform:- - atomic_reactor.plugin - DEBUG - running plugin 'tag_and_push'",
            '2026-01-01T00:00:02.000000000Z 2026-01-01 00:00:02,000 platform:- - atomic_reactor.plugins.tag_and_push - ERROR - push refused',
            '2026-01-01T00:00:03.000000000Z plain line',
            ''
          ].join('\n')
        )
      }
    )
    const reporter = new RecordingReporter()
    const result = await followLog(client(), 'app-1', reporter, { retryDelayMs: 1 })
    expect(result).toEqual({ lines: 3, streams: 1 })
    const logRequests = seen.filter((r) => r.url.startsWith(`${BUILD}/log`))
    expect(logRequests).toHaveLength(3)
    for (const r of logRequests) expect(new URL(r.url, base).searchParams.toString()).toBe('follow=true&timestamps=true')
    expect(reporter.events.filter((e) => e.kind !== 'debug')).toEqual([
      { kind: 'group', text: 'plugin tag_and_push' },
      { kind: 'info', text: "2026-01-01 00:00:01,000 platform:- - atomic_reactor.plugin - DEBUG - running plugin 'tag_and_push'" },
      { kind: 'info', text: '2026-01-01 00:00:02,000 platform:- - atomic_reactor.plugins.tag_and_push - ERROR - push refused' },
      { kind: 'error', text: 'push refused', props: { title: 'Build log: plugin tag_and_push' } },
      { kind: 'info', text: 'plain line' },
      { kind: 'endgroup', text: '' }
    ])
  })

  it('SPEC §5.3: a missing secret is an error naming the input; a forbidden check is a warning', async () => {
    const SECRETS = '/api/v1/namespaces/ns/secrets'
    on(`GET ${SECRETS}/pulp-creds`, status(404, 'NotFound', 'secrets "pulp-creds" not found'))
    on(`GET ${SECRETS}/v2-creds`, status(403, 'Forbidden', 'secrets "v2-creds" is forbidden'))
    on(`GET ${SECRETS}/v1-creds`, json({ kind: 'Secret', metadata: { name: 'v1-creds' } }))
    const plan = {
      secrets: [
        { name: 'v1-creds', input: 'registry-secret', mountPath: '/m/v1-creds' },
        { name: 'v2-creds', input: 'registry-secret', mountPath: '/m/v2-creds' },
        { name: 'pulp-creds', input: 'pulp-secret', mountPath: '/m/pulp-creds' }
      ]
    } as BuildPlan
    const reporter = new RecordingReporter()
    await expect(checkSecrets(plan, client(), reporter)).rejects.toThrow(
      new Error('Secret "pulp-creds" (input pulp-secret) does not exist in namespace ns: create it there, or correct input pulp-secret')
    )
    expect(reporter.lines('warning')).toEqual([
      'Cannot check that secret "v2-creds" (input registry-secret) exists: GET secrets/v2-creds in namespace ns failed: 403 Forbidden: secrets "v2-creds" is forbidden — the account may not get secrets in namespace ns: grant it a role that allows get on secrets (e.g. oc policy add-role-to-user edit <user> -n ns: the edit role allows every request of the action)'
    ])
    expect(seen.map((r) => r.url)).toEqual([`${SECRETS}/v1-creds`, `${SECRETS}/v2-creds`, `${SECRETS}/pulp-creds`])
  })
})

describe('configuration', () => {
  it('reads a kubeconfig as oc login writes it, with its namespace', () => {
    const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- cluster:
    insecure-skip-tls-verify: true
    server: ${base}
  name: local
contexts:
- context:
    cluster: local
    namespace: myproject
    user: dev/local
  name: myproject/local/dev
current-context: myproject/local/dev
users:
- name: dev/local
  user:
    token: ${TOKEN}
`
    const loaded = loadConfig({ kubeconfig: { inline: kubeconfig }, insecureSkipTlsVerify: false }, {})
    expect(loaded.server).toBe(base)
    expect(loaded.namespace).toBe('myproject')
    expect(loaded.source).not.toContain(TOKEN)
  })

  it('needs credentials', () => {
    expect(() => loadConfig({ insecureSkipTlsVerify: false }, { HOME: '/nonexistent' })).toThrow(/No credentials for OpenShift/)
  })

  it('turns a PEM into base64 caData and accepts base64 as is', () => {
    const pem = '-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n'
    const b64 = caDataFromPem(pem)
    expect(Buffer.from(b64, 'base64').toString()).toBe('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    expect(caDataFromPem(b64)).toBe(b64)
    expect(() => caDataFromPem('nonsense')).toThrow(/certificate-authority/)
  })

  it('takes the proxy from the environment unless NO_PROXY matches', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost,.internal.example.com,10.0.0.1:6443' }
    expect(proxyFor('https://api.example.com:6443', env)).toBe('http://proxy:3128')
    expect(proxyFor('https://api.internal.example.com:6443', env)).toBeUndefined()
    expect(proxyFor('https://internal.example.com', env)).toBeUndefined()
    expect(proxyFor('https://10.0.0.1:6443', env)).toBeUndefined()
    expect(proxyFor('https://10.0.0.1:443', env)).toBe('http://proxy:3128')
    expect(proxyFor('http://api.example.com', env)).toBeUndefined()
    expect(proxyFor('http://api.example.com', { http_proxy: 'http://p:1' })).toBe('http://p:1')
    expect(proxyFor('https://x', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' })).toBeUndefined()
    const loaded = loadConfig(conn({ server: 'https://api.example.com:6443' }), env)
    expect(loaded.kubeConfig.getCurrentCluster()?.proxyUrl).toBe('http://proxy:3128')
  })

  it('sends requests through the proxy of HTTP_PROXY unless NO_PROXY names the server', async () => {
    const proxy = await startForwardProxy()
    try {
      on(`GET ${BC}`, json({ metadata: { name: 'app' } }))
      const viaProxy = Cluster.fromSettings(conn(), { namespace: 'ns', env: { HTTP_PROXY: proxy.url }, ...fast })
      expect((await viaProxy.getBuildConfig('app'))?.metadata.name).toBe('app')
      await viaProxy.close()
      expect(proxy.requests).toEqual([new URL(base).host])

      const direct = Cluster.fromSettings(conn(), { namespace: 'ns', env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, ...fast })
      await direct.getBuildConfig('app')
      await direct.close()
      expect(proxy.requests).toHaveLength(1)
      expect(proxy.tunnels).toEqual([])
    } finally {
      await proxy.close()
    }
  })

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000)
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})
