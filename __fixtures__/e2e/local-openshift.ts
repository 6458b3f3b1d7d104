/**
 * The local OpenShift for one test file: started before its tests and stopped after them, with an API client
 * (the action's own `Cluster`) for reading what a run left behind.
 */
import { afterAll, beforeAll } from '@jest/globals'
import { KOJI_SSL_CERTS_SECRET, startCluster, type Cluster as Emulator, type ClusterOptions as EmulatorOptions, type RequestEntry } from '../../emulator/src/index.js'
import { Cluster, type ClusterOptions } from '../../src/cluster/index.js'

/**
 * The requests that may change something on the server: every method but GET, except the access review the action
 * asks first (a POST that stores nothing: SelfSubjectAccessReview).
 */
export function writesOf(requests: readonly RequestEntry[]): RequestEntry[] {
  return requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !r.url.includes('/selfsubjectaccessreviews'))
}

/** A client of a local OpenShift (or of a proxy in front of it, at `url`): its token, its namespace, no proxy from the environment. */
export function clientOf(target: { url: string; token: string; namespace: string }, options: ClusterOptions = {}): Cluster {
  return Cluster.fromSettings({ server: target.url, token: target.token, insecureSkipTlsVerify: false }, { namespace: target.namespace, env: {}, ...options })
}

export interface LocalOpenShift {
  readonly emulator: Emulator
  readonly api: Cluster
  /** The connection inputs of the action for this cluster, plus `registry-uri` and `extra`. */
  inputs(extra?: Record<string, string>): Record<string, string>
  /** Builds of a BuildConfig, by build number. */
  buildsOf(buildConfig: string): ReturnType<Emulator['store']['list']>
  /** The whole log of a build, as the API serves it. */
  log(build: string): Promise<string>
}

/** Registers beforeAll/afterAll that start and stop a local OpenShift; use the result inside tests only. */
export function useLocalOpenShift(options: EmulatorOptions = {}, clientOptions: ClusterOptions = {}, registryUri = 'registry.example.com/v2'): LocalOpenShift {
  let emulator: Emulator | undefined
  let api: Cluster | undefined
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the local OpenShift is not running (use it inside a test)')
    return value
  }
  beforeAll(async () => {
    emulator = await startCluster({ port: 0, ...options })
    api = clientOf(emulator, clientOptions)
  })
  afterAll(async () => {
    emulator?.faults.clear()
    await api?.close()
    await emulator?.close()
  })
  return {
    get emulator() {
      return started(emulator)
    },
    get api() {
      return started(api)
    },
    inputs(extra = {}) {
      const e = started(emulator)
      return { 'openshift-server': e.url, 'openshift-token': e.token, namespace: e.namespace, 'registry-uri': registryUri, 'koji-hub': e.kojiHub, 'koji-certs-secret': KOJI_SSL_CERTS_SECRET, ...extra }
    },
    buildsOf(buildConfig) {
      const e = started(emulator)
      const number = (b: { metadata: { name: string; annotations?: Record<string, string> } }) => Number(b.metadata.annotations?.['openshift.io/build.number'] ?? /-(\d+)$/.exec(b.metadata.name)?.[1])
      return e.store
        .list('builds', e.namespace)
        .filter((b) => b.metadata.labels?.['openshift.io/build-config.name'] === buildConfig)
        .sort((a, b) => number(a) - number(b))
    },
    async log(build) {
      const chunks: Buffer[] = []
      for await (const c of await started(api).buildLog(build, {})) chunks.push(Buffer.from(c))
      return Buffer.concat(chunks).toString()
    }
  }
}
