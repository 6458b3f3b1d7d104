/**
 * atomic-reactor's Koji plugins added to a plugin list (pluginsJson) where osbs-client's prod build has them
 * (osbs-client's inputs/prod_inner.json): koji_parent after add_labels_in_dockerfile, koji after it, koji_promote
 * first of the exit plugins, koji_tag_build after store_metadata_in_osv3; each with the koji_ssl_certs folder the
 * secret `kojisecret` is mounted at (osbs-client's `koji_certs_secret`), and the build's `secrets` entry for it; and a
 * build with them through a cluster (runKojiBuild).
 */
import { expect } from '@jest/globals'
import type { Cluster } from '../src/index.js'
import { call, Stream } from '../testing/client.js'
import { buildConfig } from './build-config.js'

/** Where osbs-client mounts a plugin's secret (SECRETS_PATH/NAME). */
export const KOJI_CERTS_PATH = '/var/run/secrets/atomic-reactor/kojisecret'

export interface KojiPluginsOptions {
  hub: string
  root: string
  target: string
  /** the OpenShift API URL koji_promote reads the build's logs from */
  url: string
  /** the koji_ssl_certs folder (default: KOJI_CERTS_PATH) */
  certs?: string
}

type Entry = { name: string; args?: Record<string, unknown> }

export function addKojiPlugins(plugins: Record<string, unknown>, o: KojiPluginsOptions): Record<string, unknown> {
  const certs = o.certs ?? KOJI_CERTS_PATH
  const prebuild = [...((plugins.prebuild_plugins as Entry[]) ?? [])]
  const exit = [...((plugins.exit_plugins as Entry[]) ?? [])]
  const after = (list: Entry[], name: string, entry: Entry) => {
    const at = list.findIndex((p) => p.name === name)
    list.splice(at < 0 ? list.length : at + 1, 0, entry)
  }
  after(prebuild, 'add_labels_in_dockerfile', { name: 'koji_parent', args: { koji_hub: o.hub, koji_ssl_certs_dir: certs } })
  after(prebuild, 'koji_parent', { name: 'koji', args: { target: o.target, hub: o.hub, root: o.root, koji_ssl_certs_dir: certs } })
  exit.unshift({ name: 'koji_promote', args: { kojihub: o.hub, url: o.url, verify_ssl: false, blocksize: 10485760, koji_keytab: false, koji_principal: false, koji_ssl_certs: certs } })
  after(exit, 'store_metadata_in_osv3', { name: 'koji_tag_build', args: { kojihub: o.hub, target: o.target, koji_keytab: false, koji_principal: false, koji_ssl_certs: certs } })
  return { ...plugins, prebuild_plugins: prebuild, exit_plugins: exit }
}

/** A BuildConfig's (or Build's) custom strategy with the koji secret mounted and the Koji plugins in its ATOMIC_REACTOR_PLUGINS. */
export function withKojiPlugins(bc: any, o: KojiPluginsOptions): any {
  const custom = bc.spec.strategy.customStrategy
  const env = custom.env.find((e: { name: string }) => e.name === 'ATOMIC_REACTOR_PLUGINS')
  env.value = JSON.stringify(addKojiPlugins(JSON.parse(env.value), o))
  custom.secrets = [...(custom.secrets ?? []), { secretSource: { name: 'kojisecret' }, mountPath: o.certs ?? KOJI_CERTS_PATH }]
  return bc
}

const TERMINAL = ['Complete', 'Failed', 'Error', 'Cancelled']

export interface KojiBuildRun {
  name: string
  /** the repository's commit to build */
  commit: string
  uri: string
  /** the registry pushed to, and the one the base image is pulled from */
  registry: string
  sourceRegistry: string
  target: string
  /** how long the build may take */
  timeoutMs: number
}

/**
 * A BuildConfig with the Koji plugins created in the cluster's namespace and instantiated at `commit`; resolves
 * when the Build's watch shows it ended, with the Build and its log.
 */
export async function runKojiBuild(cluster: Cluster, namespace: string, o: KojiBuildRun): Promise<{ build: any; log: string }> {
  const buildApi = `/apis/build.openshift.io/v1/namespaces/${namespace}`
  const bc = withKojiPlugins(
    buildConfig({
      name: o.name,
      uri: o.uri,
      trigger: false,
      commit: o.commit,
      kojiHub: cluster.kojiHub,
      registries: { [o.registry]: true },
      sourceRegistry: o.sourceRegistry,
      url: cluster.url,
      outputName: `${o.registry}/acme/${o.name}:unique-${o.name}`
    }),
    { hub: cluster.kojiHub, root: cluster.kojiRoot, target: o.target, url: cluster.url }
  )
  expect((await call(cluster, 'POST', `${buildApi}/buildconfigs`, { body: bc })).status).toBe(201)
  const res = await call(cluster, 'POST', `${buildApi}/buildconfigs/${o.name}/instantiate`, {
    body: {
      kind: 'BuildRequest',
      apiVersion: 'build.openshift.io/v1',
      metadata: { name: o.name },
      revision: { type: 'Git', git: { commit: o.commit } },
      env: [{ name: 'SOURCE_REF', value: o.commit }]
    }
  })
  expect(res.status).toBe(201)
  const buildName = res.body.metadata.name as string
  // the Build's watch until its phase is terminal
  const watch = new Stream(cluster, `${buildApi}/builds?watch=true&fieldSelector=metadata.name%3D${buildName}`)
  await watch.until(() => watch.events().some((e) => TERMINAL.includes(e.object?.status?.phase)), o.timeoutMs)
  watch.close()
  const build = cluster.store.get('builds', namespace, buildName)!
  const log = await call(cluster, 'GET', `${buildApi}/builds/${buildName}/log`, { headers: { Accept: 'text/plain' } })
  return { build, log: log.text }
}
