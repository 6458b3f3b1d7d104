/** The in-cluster service account (a self-hosted runner inside the cluster), over TLS with the service CA. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startCluster, type Cluster as Emulator } from '../emulator/src/index.js'
import { Cluster, loadConfig } from '../src/cluster/index.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

let emulator: Emulator
const dir = path.join(makeTempDir('osbs-sa-'), 'serviceaccount')

beforeAll(async () => {
  emulator = await startCluster({ port: 0, tls: true, namespace: 'builds' })
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'token'), emulator.token)
  writeFileSync(path.join(dir, 'namespace'), 'builds\n')
  writeFileSync(path.join(dir, 'ca.crt'), emulator.caCert!)
})
afterAll(async () => {
  await emulator?.close()
})

describe('in-cluster service account', () => {
  it('finds the API from KUBERNETES_SERVICE_HOST/PORT, trusts the service CA, reads the token and namespace files', async () => {
    const url = new URL(emulator.url)
    const env = { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port }
    const loaded = loadConfig({ insecureSkipTlsVerify: false }, env, dir)
    expect(loaded.source).toBe('in-cluster service account')
    expect(loaded.server).toBe(emulator.url)
    expect(loaded.namespace).toBe('builds')
    const client = new Cluster(loaded.kubeConfig, { namespace: loaded.namespace })
    try {
      await client.checkBuildApi()
      expect(await client.getBuildConfig('none')).toBeUndefined()
    } finally {
      await client.close()
    }
  })

  it('is not used outside a cluster', () => {
    expect(() => loadConfig({ insecureSkipTlsVerify: false }, { HOME: '/nonexistent' }, dir)).toThrow(/No credentials for OpenShift/)
  })
})
