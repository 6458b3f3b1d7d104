/**
 * The local node of a real master (pod/node/): what it asks the master, driven by a small fake master — the Node
 * registered and kept Ready, a bound pod run with its container's environment and its secret volumes read through
 * the API, its status Running then Succeeded or Failed, a deleted pod stopped and removed — and its log endpoint
 * (the kubelet's query, TLS with a certificate the CA issued, clients without one refused).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { X509Certificate } from 'node:crypto'
import { request } from 'node:https'
import type { KubeObject } from '../src/api/object.js'
import { ContainerLog, parseLogQuery, portOf, selectLines, startLogServer } from '../src/pod/node/container-logs.js'
import type { Master, MasterAnswer, WatchEvent } from '../src/pod/node/master-client.js'
import { NodeAgent, type PodRunner } from '../src/pod/node/node-agent.js'
import { containerEnvironment, podSecretMounts, type PodToRun } from '../src/pod/pod-source.js'
import type { PodExit } from '../src/pod/process/process-pod.js'
import { issuedCertificate, selfSignedCertificate } from '../src/util/self-signed.js'

interface Call {
  method: string
  path: string
  body?: any
  contentType?: string
}

/** A master that answers from memory and records every request; `waitFor` resolves on a request to come. */
class FakeMaster implements Master {
  readonly calls: Call[] = []
  readonly secrets = new Map<string, KubeObject>()
  pods: KubeObject[] = []
  private emit?: (e: WatchEvent) => void
  private waiters: { match: (c: Call) => boolean; resolve: (c: Call) => void }[] = []
  private watchStarted: () => void = () => undefined
  /** resolves once the agent watches its pods */
  readonly watching: Promise<void>
  constructor() {
    this.watching = new Promise<void>((r) => (this.watchStarted = r))
  }

  request(method: string, path: string, body?: unknown, contentType?: string): Promise<MasterAnswer> {
    const call = { method, path, body, contentType }
    this.calls.push(call)
    for (const w of this.waiters.filter((w) => w.match(call))) {
      this.waiters.splice(this.waiters.indexOf(w), 1)
      w.resolve(call)
    }
    if (method === 'POST') return Promise.resolve({ status: 201, body })
    if (method === 'GET' && path.startsWith('/api/v1/pods?')) return Promise.resolve({ status: 200, body: { items: this.pods, metadata: { resourceVersion: '7' } } })
    const secret = /\/secrets\/(.+)$/.exec(path)
    if (method === 'GET' && secret) {
      const s = this.secrets.get(secret[1]!)
      return Promise.resolve(s ? { status: 200, body: s } : { status: 404, body: { message: 'not found' } })
    }
    return Promise.resolve({ status: 200, body: {} })
  }

  watch(_path: string, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    this.emit = onEvent
    this.watchStarted()
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
  }

  send(e: WatchEvent): void {
    this.emit!(e)
  }

  waitFor(match: (c: Call) => boolean): Promise<Call> {
    const done = this.calls.find(match)
    return done ? Promise.resolve(done) : new Promise((resolve) => this.waiters.push({ match, resolve }))
  }
}

/** Runs nothing: hands each pod to the test, which logs lines and ends it. */
class FakeRunner implements PodRunner {
  readonly started: { pod: PodToRun; end: (exit: PodExit) => void }[] = []
  private next?: () => void
  runPod(pod: PodToRun): Promise<PodExit> {
    return new Promise((resolve) => {
      pod.signal.addEventListener('abort', () => resolve({ code: 143 }), { once: true })
      this.started.push({ pod, end: resolve })
      this.next?.()
    })
  }
  async nextPod(): Promise<{ pod: PodToRun; end: (exit: PodExit) => void }> {
    if (!this.started.length) await new Promise<void>((r) => (this.next = r))
    return this.started.shift()!
  }
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

function buildPod(name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'osbs', uid: `uid-${name}`, ...extra },
    spec: {
      nodeName: 'local-node',
      volumes: [
        { name: 'docker-socket', hostPath: { path: '/var/run/docker.sock' } },
        { name: 'builder-token-ab12c', secret: { secretName: 'builder-token-ab12c', defaultMode: 420 } }
      ],
      containers: [
        {
          name: 'custom-build',
          image: 'buildroot:latest',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          env: [{ name: 'BUILD', value: '{"kind":"Build"}' }, { name: 'SOURCE_REF', value: 'main' }, { name: 'EMPTY' }, { name: 'SOURCE_REF', value: 'abc123' }],
          volumeMounts: [
            { name: 'docker-socket', mountPath: '/var/run/docker.sock' },
            { name: 'builder-token-ab12c', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }
          ]
        }
      ]
    },
    status: { phase: 'Pending' }
  }
}

describe('the local node of a real master', () => {
  let agent: NodeAgent | undefined
  afterEach(async () => {
    await agent?.close()
    agent = undefined
  })

  async function started(master: FakeMaster, runner: FakeRunner): Promise<NodeAgent> {
    agent = new NodeAgent({ name: 'local-node', address: '127.0.0.1', port: 10250, master, runner, heartbeatMs: 60_000 })
    await agent.start()
    await master.watching
    return agent
  }

  it('registers its Node, then reports it Ready with the endpoint the master reaches its logs at', async () => {
    const master = new FakeMaster()
    await started(master, new FakeRunner())
    expect(master.calls[0]).toMatchObject({ method: 'POST', path: '/api/v1/nodes', body: { kind: 'Node', metadata: { name: 'local-node' } } })
    const status = master.calls[1]!
    expect(status).toMatchObject({ method: 'PATCH', path: '/api/v1/nodes/local-node/status', contentType: 'application/merge-patch+json' })
    expect(status.body.status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } })
    expect(status.body.status.addresses).toEqual([
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: '127.0.0.1' }
    ])
    expect(status.body.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' })
    // then it lists the pods bound to it
    expect(master.calls[2]).toMatchObject({ method: 'GET', path: '/api/v1/pods?fieldSelector=spec.nodeName%3Dlocal-node' })
  })

  it("runs a bound pod with its container's environment and its secret volumes read through the API; Running, then Succeeded", async () => {
    const master = new FakeMaster()
    master.secrets.set('builder-token-ab12c', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'builder-token-ab12c' }, data: { token: b64('t0ken') } })
    const runner = new FakeRunner()
    await started(master, runner)
    master.send({ type: 'ADDED', object: buildPod('app-1-build') })
    const { pod, end } = await runner.nextPod()
    expect(pod.name).toBe('app-1-build')
    // the last value of a repeated name, '' for a name without a value (Go leaves an empty value out)
    expect(pod.env).toEqual({ BUILD: '{"kind":"Build"}', SOURCE_REF: 'abc123', EMPTY: '' })
    expect(pod.secretMounts).toEqual([{ secretName: 'builder-token-ab12c', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }])
    expect((await pod.secrets.secret('builder-token-ab12c'))?.data).toEqual({ token: b64('t0ken') })
    expect(await pod.secrets.secret('missing')).toBeUndefined()
    const running = await master.waitFor((c) => c.path === '/api/v1/namespaces/osbs/pods/app-1-build/status')
    expect(running.body.status).toMatchObject({ phase: 'Running', containerStatuses: [{ name: 'custom-build', ready: true, state: { running: {} } }] })
    pod.log('hello from the pod')
    expect(agent!.containerLog('osbs', 'app-1-build', 'custom-build')?.last(1)).toEqual(['hello from the pod'])
    expect(agent!.containerLog('osbs', 'app-1-build', 'other')).toBeUndefined()
    end({ code: 0 })
    const done = await master.waitFor((c) => c.path.endsWith('/pods/app-1-build/status') && c.body.status.phase !== 'Running')
    expect(done.body.status).toMatchObject({ phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed' } } }] })
    // a MODIFIED event of the same pod does not start it again
    master.send({ type: 'MODIFIED', object: buildPod('app-1-build') })
    expect(runner.started).toEqual([])
  })

  it('a non-zero exit fails the pod with its exit code and, as FallbackToLogsOnError asks, its last log lines', async () => {
    const master = new FakeMaster()
    const runner = new FakeRunner()
    await started(master, runner)
    master.send({ type: 'ADDED', object: buildPod('app-2-build') })
    const { pod, end } = await runner.nextPod()
    pod.log('step 1')
    pod.log('error: the push failed')
    end({ code: 1 })
    const done = await master.waitFor((c) => c.path.endsWith('/pods/app-2-build/status') && c.body.status.phase === 'Failed')
    expect(done.body.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 1, reason: 'Error', message: 'step 1\nerror: the push failed' })
  })

  it('a pod that cannot start (a missing secret) fails with the reason', async () => {
    const master = new FakeMaster()
    const runner = new FakeRunner()
    await started(master, runner)
    master.send({ type: 'ADDED', object: buildPod('app-3-build') })
    const { end } = await runner.nextPod()
    end({ error: 'MountVolume.SetUp failed for volume "x": secret "x" not found' })
    const done = await master.waitFor((c) => c.path.endsWith('/pods/app-3-build/status') && c.body.status.phase === 'Failed')
    expect(done.body.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 128, reason: 'ContainerCannotRun', message: expect.stringContaining('secret "x" not found') })
  })

  it('a pod being deleted (a cancelled build) is stopped, then removed for good with grace period 0', async () => {
    const master = new FakeMaster()
    const runner = new FakeRunner()
    await started(master, runner)
    master.send({ type: 'ADDED', object: buildPod('app-4-build') })
    const { pod } = await runner.nextPod()
    master.send({ type: 'MODIFIED', object: buildPod('app-4-build', { deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 }) })
    const deleted = await master.waitFor((c) => c.method === 'DELETE')
    expect(pod.signal.aborted).toBe(true)
    expect(deleted).toMatchObject({ path: '/api/v1/namespaces/osbs/pods/app-4-build', body: { kind: 'DeleteOptions', gracePeriodSeconds: 0 } })
    // no Failed status for a pod that was deleted
    expect(master.calls.filter((c) => c.path.endsWith('/pods/app-4-build/status')).map((c) => c.body.status.phase)).toEqual(['Running'])
  })
})

describe("the node's log endpoint", () => {
  const at = (s: string) => Date.parse(s)
  const lines = [
    { ms: at('2026-01-01T00:00:01Z'), text: 'one' },
    { ms: at('2026-01-01T00:00:02Z'), text: 'two' },
    { ms: at('2026-01-01T00:00:03Z'), text: 'three' }
  ]

  it('selects lines as the kubelet does: sinceTime, sinceSeconds, tailLines, timestamps (nine fraction digits)', () => {
    const q = (s: string, now = at('2026-01-01T00:00:03Z')) => parseLogQuery(new URLSearchParams(s), now)
    expect(selectLines(lines, q(''))).toEqual(['one\n', 'two\n', 'three\n'])
    expect(selectLines(lines, q('sinceTime=2026-01-01T00:00:02Z'))).toEqual(['two\n', 'three\n'])
    expect(selectLines(lines, q('sinceSeconds=1'))).toEqual(['two\n', 'three\n'])
    expect(selectLines(lines, q('tailLines=1&timestamps=true'))).toEqual(['2026-01-01T00:00:03.000000000Z three\n'])
    expect(selectLines(lines, q('tailLines=0'))).toEqual([])
    expect(() => q('tailLines=-1')).toThrow('tailLines: not a non-negative integer: -1')
    expect(() => q('sinceTime=yesterday')).toThrow('sinceTime: not an RFC 3339 time: yesterday')
  })

  it('serves a followed log over TLS to a client with a certificate of the CA (limitBytes honoured); refuses one without', async () => {
    const ca = selfSignedCertificate('test-ca', { dns: ['test-ca'] })
    const serving = issuedCertificate('local-node', { ips: ['127.0.0.1'] }, ca)
    expect(new X509Certificate(serving.cert).verify(new X509Certificate(ca.cert).publicKey)).toBe(true)
    const client = issuedCertificate('master', { dns: ['master'] }, ca)
    const log = new ContainerLog()
    log.append('first')
    const server = await startLogServer({ address: '127.0.0.1', port: 0, ...serving, clientCA: ca.cert, find: (ns, pod, c) => (ns === 'osbs' && pod === 'p' && c === 'c' ? log : undefined) })
    const get = (path: string, cert?: { cert: string; key: string }) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: portOf(server), path, ca: ca.cert, ...(cert ?? {}) }, (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => {
            body += c
            // the first line came: more while following, then the end
            if (body === 'first\n') {
              log.append('second')
              log.end()
            }
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        })
        req.on('error', reject)
        req.end()
      })
    try {
      expect(await get('/containerLogs/osbs/p/c?follow=true', client)).toEqual({ status: 200, body: 'first\nsecond\n' })
      expect(await get('/containerLogs/osbs/p/c?limitBytes=8', client)).toEqual({ status: 200, body: 'first\nse' })
      expect(await get('/containerLogs/osbs/p/other', client)).toEqual({ status: 404, body: 'container "other" in pod "p" is not available\n' })
      await expect(get('/containerLogs/osbs/p/c')).rejects.toThrow()
    } finally {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
  })

  it("reads a Pod's env and secret volumes as its container sees them", () => {
    const pod = buildPod('x')
    expect(containerEnvironment(pod.spec.containers[0].env)).toEqual({ BUILD: '{"kind":"Build"}', SOURCE_REF: 'abc123', EMPTY: '' })
    expect(podSecretMounts(pod)).toEqual([{ secretName: 'builder-token-ab12c', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }])
  })
})
