/** Serving options: TLS, the kubeconfig's TLS endpoint on the same port, the registry endpoint, the state directory. */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCluster } from '../src/index.js'
import { buildConfigBody, call, eventually, ManualReactor } from '../testing/client.js'

const B = '/apis/build.openshift.io/v1/namespaces/osbs'

function httpsGet(url: string, ca: string, token: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('serving', () => {
  it('tls: true serves HTTPS with a self-signed certificate for 127.0.0.1', async () => {
    const c = await startCluster({ port: 0, tls: true })
    try {
      expect(c.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      expect(c.caCert).toContain('BEGIN CERTIFICATE')
      const r = await httpsGet(`${c.url}/apis/build.openshift.io/v1/namespaces/osbs/builds`, c.caCert!, c.token)
      expect(r.status).toBe(200)
      expect(r.body.kind).toBe('BuildList')
      expect(readFileSync(c.kubeconfigPath!, 'utf8')).toContain(`server: "${c.url}"`)
    } finally {
      await c.close()
    }
  })

  it('plain http also answers TLS on the same port; the kubeconfig points there with the CA and the token', async () => {
    const c = await startCluster({ port: 0, namespace: 'team' })
    try {
      expect(c.url).toMatch(/^http:\/\//)
      const https = c.url.replace('http://', 'https://')
      const kubeconfig = readFileSync(c.kubeconfigPath!, 'utf8')
      expect(kubeconfig).toContain(`server: "${https}"`)
      expect(kubeconfig).toContain(`token: "${c.token}"`)
      expect(kubeconfig).toContain('namespace: "team"')
      expect(kubeconfig).toContain(`certificate-authority-data: ${Buffer.from(c.caCert!).toString('base64')}`)
      const r = await httpsGet(`${https}/api/v1/namespaces/team`, c.caCert!, c.token)
      expect(r.body).toMatchObject({ kind: 'Namespace', metadata: { name: 'team' } })
      expect((await call(c, 'GET', '/api/v1/namespaces/team')).status).toBe(200)
    } finally {
      await c.close()
    }
  })

  it('token: false turns authentication off', async () => {
    const c = await startCluster({ port: 0, token: false })
    try {
      expect(c.token).toBe('')
      expect((await call(c, 'GET', `${B}/builds`, { token: null })).status).toBe(200)
    } finally {
      await c.close()
    }
  })

  it('mounts the registry endpoint /v2/ (no OpenShift path, no token needed)', async () => {
    const c = await startCluster({ port: 0 })
    try {
      const r = await call(c, 'GET', '/v2/', { token: null })
      expect(r.status).toBe(200)
      expect(r.body).toEqual({})
      expect((await call(c, 'GET', '/v2/none/manifests/latest', { token: null })).status).toBe(404)
    } finally {
      await c.close()
    }
  })

  it('stateDir keeps objects and build logs across a restart; a build that was running ends in Error (its pod is gone)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-state-'))
    const pods = new ManualReactor()
    try {
      const a = await startCluster({ port: 0, stateDir: dir, reactor: pods.reactor, podStartDelay: 1 })
      await call(a, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('kept', { runPolicy: 'Parallel' }) })
      await call(a, 'POST', `${B}/buildconfigs/kept/instantiate`, { body: { metadata: { name: 'kept' } } })
      await call(a, 'POST', `${B}/buildconfigs/kept/instantiate`, { body: { metadata: { name: 'kept' } } })
      const host = await pods.waitStarted('kept-1')
      await pods.waitStarted('kept-2')
      // enough lines for more than one index entry of the log
      for (let i = 1; i <= 3000; i++) host.log(`line ${i}`)
      pods.finish('kept-1')
      await eventually(() => a.store.get('builds', 'osbs', 'kept-1')?.status.phase === 'Complete')
      const logBefore = (await call(a, 'GET', `${B}/builds/kept-1/log?timestamps=true`)).text
      expect(logBefore.split('\n')).toHaveLength(3001)
      const rv = Number(a.store.resourceVersion)
      await a.close()

      const b = await startCluster({ port: 0, stateDir: dir, reactor: pods.reactor })
      try {
        expect(b.store.get('buildconfigs', 'osbs', 'kept')!.status.lastVersion).toBe(2)
        expect(b.store.get('builds', 'osbs', 'kept-1')!.status.phase).toBe('Complete')
        expect(b.store.get('builds', 'osbs', 'kept-2')!.status).toMatchObject({ phase: 'Error', reason: 'BuildPodDeleted' })
        // resourceVersions go on from where they were; watches from before the restart get 410
        expect(Number(b.store.resourceVersion)).toBeGreaterThan(rv)
        const w = await call(b, 'GET', `${B}/builds?watch=true&resourceVersion=${rv - 1}`)
        expect(JSON.parse(w.text.trim()).object.code).toBe(410)
        const next = await call(b, 'POST', `${B}/buildconfigs/kept/instantiate`, { body: { metadata: { name: 'kept' } } })
        expect(next.body.metadata.name).toBe('kept-3')
        // the log of a finished build is still there, with its times; tailLines and sinceTime work on it
        expect((await call(b, 'GET', `${B}/builds/kept-1/log?timestamps=true`)).text).toBe(logBefore)
        expect((await call(b, 'GET', `${B}/builds/kept-1/log?follow=true&tailLines=2`)).text).toBe('line 2999\nline 3000\n')
        const t2500 = logBefore.split('\n')[2499]!.split(' ')[0]!
        expect((await call(b, 'GET', `${B}/builds/kept-1/log?sinceTime=${t2500}`)).text.split('\n')[0]).toBe('line 2500')
        // a new build's log is its own
        const host3 = await pods.waitStarted('kept-3')
        host3.log('third')
        pods.finish('kept-3')
        await eventually(() => b.store.get('builds', 'osbs', 'kept-3')?.status.phase === 'Complete')
        expect((await call(b, 'GET', `${B}/builds/kept-3/log`)).text).toBe('third\n')
        expect((await call(b, 'GET', `${B}/builds/kept-1/log?tailLines=1`)).text).toBe('line 3000\n')
      } finally {
        await b.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('close()', () => {
  it('leaves no timer behind: requests in an injected delay, waiting log requests, watches', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const before = timers()
    const pods = new ManualReactor()
    const cluster = await startCluster({ port: 0, reactor: pods.reactor, podStartDelay: 60_000, logWaitSeconds: 60 })
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('close-x') })
    await call(cluster, 'POST', `${B}/buildconfigs/close-x/instantiate`, { body: { metadata: { name: 'close-x' } } })
    cluster.faults.delay({ path: '/buildconfigs/close-x' }, 60_000)
    const pending = [
      call(cluster, 'GET', `${B}/buildconfigs/close-x`),
      call(cluster, 'GET', `${B}/builds/close-x-1/log?follow=true`),
      call(cluster, 'GET', `${B}/builds?watch=true&timeoutSeconds=60`)
    ].map((p) =>
      p.then(
        () => 'answered',
        () => 'failed'
      )
    )
    await eventually(() => timers() >= before + 3)
    await cluster.close()
    expect(await Promise.all(pending)).toEqual(['failed', 'failed', 'failed'])
    await new Promise((r) => setImmediate(r))
    expect(timers()).toBeLessThanOrEqual(before)
  })
})
