/**
 * The local OpenShift's real registries speak TLS only, with a certificate made once per cluster: clients trusting
 * that certificate (undici, skopeo with `--cert-dir`) are answered, plain HTTP is refused as distribution refuses
 * it, and the cluster says where the certificate is (Cluster, the CLI's ready line, the README beside the kubeconfig).
 */
import { expect, it } from '@jest/globals'
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Agent, fetch } from 'undici'
import { describeRealBuilds } from '../../__fixtures__/e2e/real-builds.js'
import { startCluster } from '../src/index.js'
import { RegistryProcess } from '../src/images/real/registry-process.js'
import { which } from '../src/images/real/tools.js'
import { selfSignedCertificate } from '../src/util/self-signed.js'

const exec = promisify(execFile)
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** GET `url` trusting only `ca` (PEM); the status and body. */
async function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
  const dispatcher = new Agent(ca ? { connect: { ca } } : {})
  try {
    const res = await fetch(url, { dispatcher })
    return { status: res.status, body: await res.text() }
  } finally {
    await dispatcher.close()
  }
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describeRealBuilds('real registries speak TLS', () => {
  it('a registry process serves API v2 over TLS on 127.0.0.1 and a free port with the certificate given; plain HTTP is refused; gone after stop()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-test-'))
    try {
      const tls = selfSignedCertificate()
      const reg = await RegistryProcess.start('registry', which('docker-registry')!, dir, tls)
      expect(reg.host).toMatch(/^127\.0\.0\.1:\d+$/)
      const res = await get(`https://${reg.host}/v2/`, tls.cert)
      expect(res).toEqual({ status: 200, body: '{}' })
      // localhost is in the certificate too
      expect((await get(`https://${reg.host.replace('127.0.0.1', 'localhost')}/v2/`, tls.cert)).status).toBe(200)
      expect(await get(`http://${reg.host}/v2/`)).toEqual({ status: 400, body: 'Client sent an HTTP request to an HTTPS server.\n' })
      // another certificate is not this one
      await expect(get(`https://${reg.host}/v2/`, selfSignedCertificate().cert)).rejects.toThrow()
      await reg.stop()
      expect(alive(reg.pid)).toBe(false)
      await expect(get(`https://${reg.host}/v2/`, tls.cert)).rejects.toThrow()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("a cluster's registries share one certificate it exposes (PEM and file); skopeo trusts it with --cert-dir; the README says so", async () => {
    const cluster = await startCluster({ port: 0, builds: 'real', registryNames: ['registry', 'source'], sourceRegistry: 'source' })
    try {
      const ca = cluster.registryCA!
      expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/)
      expect(readFileSync(cluster.registryCAFile!, 'utf8')).toBe(ca)
      expect(dirname(cluster.registryCAFile!).startsWith(cluster.imagesDir!)).toBe(true)
      for (const host of Object.values(cluster.registryHosts)) {
        expect((await get(`https://${host}/v2/`, ca)).status).toBe(200)
        expect((await get(`http://${host}/v2/`)).status).toBe(400)
      }
      const published = await cluster.publishImage('osbs', 'fedora', 'latest', { from: 'registry.fedoraproject.org/fedora:latest' })
      const certDir = dirname(cluster.registryCAFile!)
      const { stdout } = await exec('skopeo', ['inspect', '--cert-dir', certDir, `docker://${published.from}`])
      expect(JSON.parse(stdout).Digest).toBe(published.image)
      // without the certificate the registry is not trusted
      await expect(exec('skopeo', ['inspect', `docker://${published.from}`])).rejects.toThrow(/x509: certificate signed by unknown authority/)
      const readme = readFileSync(join(dirname(cluster.kubeconfigPath!), 'README'), 'utf8')
      expect(readme).toContain('Registries (docker registry API v2 over TLS):')
      expect(readme).toContain(`: ${cluster.registryCAFile}\n`)
      expect(readme).toContain(`skopeo inspect --cert-dir ${certDir} docker://<image>`)
    } finally {
      await cluster.close()
    }
  })

  it("npm run cluster --builds real: the ready line's registryCA is the certificate file", async () => {
    const script = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.cluster as string
    const [, ...args] = script.split(/\s+/)
    const child = spawn(process.execPath, [...args, '--port', '0', '--builds', 'real'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const info = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve)))
      expect(info.builds).toBe('real')
      const ca = readFileSync(info.registryCA, 'utf8')
      expect((await get(`https://${info.registries.registry}/v2/`, ca)).status).toBe(200)
    } finally {
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  })
})
