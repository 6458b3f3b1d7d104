/**
 * End to end, servers that do not behave: a certificate for another host, a server that accepts connections and
 * never answers, a token revoked while the build runs, a server that echoes the credential in its error, and
 * NO_PROXY written as a CIDR. Each run ends with exit code 1 and one error that names the server and what to do
 * (or, for NO_PROXY, goes past the proxy).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { startCluster, type Cluster as Emulator } from '../emulator/src/index.js'
import { selfSignedCertificate } from '../emulator/src/util/self-signed.js'
import { errorAnnotations, runAction, until, type ActionRun } from '../__fixtures__/e2e/action.js'
import { startForwardProxy } from '../__fixtures__/forward-proxy.js'
import { commitFiles, dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 2 })
const tmp = makeTempDir('osbs-e2e-hostile-')
let repo: Checkout

beforeAll(() => {
  repo = makeRepo(path.join(tmp, 'hostile'), { Dockerfile: dockerfile('fedora:latest', 'acme/hostile', '1.0') })
})

function next(message: string): Checkout {
  repo = commitFiles(repo, { NOTES: message }, message)
  return repo
}

/** stdout without the `::add-mask::` lines (the runner consumes them: that is how masking works). */
function shown(run: ActionRun): string {
  return [...run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')), run.stderr, JSON.stringify(run.outputs), JSON.stringify(run.state), run.summary].join('\n')
}

/** The run failed with exactly one error annotation, and not as an unsettled promise (exit code 13). */
function oneError(run: ActionRun): string {
  expect(run.stderr).not.toContain('unsettled top-level await')
  expect(run.code).toBe(1)
  const errors = errorAnnotations(run.stdout)
  expect(errors).toHaveLength(1)
  return errors[0]
}

/** A TCP relay to `target` that knows the last request line sent on each connection and can cut connections. */
async function startRelay(target: URL): Promise<{ url: string; requests(): string[]; cut(which?: (request: string) => boolean): void; close(): Promise<void> }> {
  const open = new Map<net.Socket, { upstream: net.Socket; request: string }>()
  const relay = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname)
    const entry = { upstream, request: '' }
    open.set(client, entry)
    const end = (): void => {
      open.delete(client)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
    client.on('data', (chunk: Buffer) => {
      const line = /^(GET|POST|PUT|PATCH|DELETE) \S+/m.exec(chunk.toString('latin1'))
      if (line) entry.request = line[0]
    })
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
  const cut = (which: (request: string) => boolean = () => true): void => {
    for (const [client, { upstream, request }] of open)
      if (which(request)) {
        client.destroy()
        upstream.destroy()
      }
  }
  return {
    url: `${target.protocol}//127.0.0.1:${(relay.address() as AddressInfo).port}`,
    requests: () => [...open.values()].map((e) => e.request),
    cut,
    async close() {
      cut()
      await new Promise((resolve) => relay.close(resolve))
    }
  }
}

describe('TLS', () => {
  let wrongHost: Emulator
  beforeAll(async () => {
    // A certificate valid only for api.other.example, trusted through certificate-authority: the CA is right,
    // the name is not (the server is reached as 127.0.0.1).
    wrongHost = await startCluster({ port: 0, tls: selfSignedCertificate('api.other.example', { dns: ['api.other.example'] }) })
  })
  afterAll(async () => {
    await wrongHost?.close()
  })

  it('a certificate for another host: one error naming the server, the reason and what to do, exit code 1', async () => {
    const run = await runAction({
      checkout: next('wrong host'),
      repository: 'acme/hostile',
      inputs: {
        'openshift-server': wrongHost.url,
        'openshift-token': wrongHost.token,
        namespace: wrongHost.namespace,
        'registry-uri': 'registry.example.com/v2',
        'certificate-authority': wrongHost.caCert!
      }
    })
    const error = oneError(run)
    expect(error).toContain(`could not reach ${wrongHost.url}`)
    expect(error).toContain('the server certificate is for another host name')
    expect(error).toContain('api.other.example')
    expect(error).toContain('openshift-server')
    expect(shown(run)).not.toContain(wrongHost.token)
  })
})

describe('a server that never answers', () => {
  it('each request is given up after the per-request timeout and its retries: one error, exit code 1', async () => {
    const sockets = new Set<net.Socket>()
    const silent = net.createServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => undefined)
      socket.resume()
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    try {
      const run = await runAction({
        checkout: next('silent'),
        repository: 'acme/hostile',
        inputs: { 'openshift-server': url, 'openshift-token': 'sha256~silent-token-0123456789', namespace: 'ns', 'registry-uri': 'registry.example.com/v2' },
        env: { OSBS_REQUEST_TIMEOUT_SECONDS: '1' },
        timeoutMs: 60_000
      })
      const error = oneError(run)
      expect(error).toMatch(new RegExp(`^GET /apis/build\\.openshift\\.io/v1 failed: ${url.replace(/[.]/g, '\\.')} did not answer within 1 s \\(3 attempts\\)`))
      expect(error).toContain('OSBS_REQUEST_TIMEOUT_SECONDS')
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})

describe('credentials', () => {
  it('the token revoked while the build runs: one 401 error that says what to do, exit code 1', async () => {
    // The run uses the token of the service account `deployer`; deleting its token secret revokes it, as on
    // OpenShift (the build pod has its own credentials, and the build is held running). Open streams are not
    // asked for credentials again: the relay cuts the watch (as a server ends a watch after its timeout), the
    // log stream stays open, and the next watch request is refused.
    const { emulator } = local
    const secret = emulator.store
      .list('secrets', emulator.namespace)
      .find((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations?.['kubernetes.io/service-account.name'] === 'deployer')!
    const token = Buffer.from(String((secret.data as Record<string, string>).token), 'base64').toString('utf8')
    const relay = await startRelay(new URL(emulator.url))
    const hold = emulator.faults.holdBuild()
    try {
      const run = await runAction({
        checkout: next('revoked'),
        repository: 'acme/hostile',
        inputs: local.inputs({ 'openshift-server': relay.url, 'openshift-token': token }),
        timeoutMs: 60_000,
        onSpawn: (child) => {
          const streaming = (request: string): boolean => /\/log\?.*follow=true/.test(request)
          const watching = (request: string): boolean => /[?&]watch=true/.test(request)
          void until('the build log to stream while the build is watched', () => relay.requests().some(streaming) && relay.requests().some(watching), 30_000)
            .then(async () => {
              const revoke = await fetch(`${emulator.url}/api/v1/namespaces/${emulator.namespace}/secrets/${secret.metadata.name}`, {
                method: 'DELETE',
                headers: { Authorization: `Bearer ${emulator.token}` }
              })
              if (!revoke.ok) throw new Error(`the token secret could not be deleted: ${revoke.status}`)
              relay.cut(watching)
            })
            .catch(() => child.kill('SIGKILL'))
        }
      })
      const error = oneError(run)
      expect(error).toMatch(/failed: 401 Unauthorized: Unauthorized — the server rejected the credentials \(the token expired or was revoked/)
      expect(error).toContain('openshift-token')
      expect(shown(run)).not.toContain(token)
    } finally {
      emulator.faults.remove(hold)
      await relay.close()
    }
  })

  it('a server that echoes the token in its error bodies: the token is replaced by *** before it is printed', async () => {
    const token = 'sha256~echoed-token-0123456789abcdef'
    const echo = http.createServer((req, res) => {
      const auth = req.headers.authorization ?? ''
      if (req.url?.startsWith('/apis/build.openshift.io/v1') && !req.url.includes('/namespaces/')) {
        res.writeHead(403, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `token ${auth.replace(/^Bearer /, '')} (${auth}) is not allowed` }))
        return
      }
      res.writeHead(401, { 'content-type': 'text/plain' })
      res.end(`bad credentials: ${auth}`)
    })
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
    try {
      const run = await runAction({
        checkout: next('echo'),
        repository: 'acme/hostile',
        inputs: { 'openshift-server': `http://127.0.0.1:${(echo.address() as AddressInfo).port}`, 'openshift-token': token, namespace: 'ns', 'registry-uri': 'registry.example.com/v2' },
        env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }
      })
      const error = oneError(run)
      expect(error).toContain('403 Forbidden: token *** (Bearer ***) is not allowed')
      expect(shown(run)).not.toContain(token)
      expect(shown(run)).not.toContain('echoed-token')
    } finally {
      echo.closeAllConnections()
      await new Promise((resolve) => echo.close(resolve))
    }
  })
})

describe('NO_PROXY', () => {
  it('NO_PROXY=127.0.0.0/8 (a CIDR, as curl and kubectl read it): the API server is reached without the proxy', async () => {
    const proxy = await startForwardProxy()
    try {
      const run = await runAction({
        checkout: next('no proxy'),
        repository: 'acme/hostile',
        inputs: local.inputs(),
        env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.0/8' }
      })
      expect(run.code).toBe(0)
      expect(run.outputs['build-status']).toBe('Complete')
      expect(proxy.requests).toEqual([])
      expect(proxy.tunnels).toEqual([])
    } finally {
      await proxy.close()
    }
  })
})
