/**
 * The cluster's Koji hub (koji/hub.ts): started with the build targets the options name, and its SSL login
 * credentials in the namespace's Secret `kojisecret` (keys `cert`, `ca`, `serverca`: what atomic-reactor's
 * koji_ssl_certs folder holds, as OSBS sites keep them in a secret that osbs-client mounts for koji_promote,
 * koji_tag_build, koji_parent and koji). The Secret is rewritten at every start: each run of the hub issues new
 * certificates.
 */
import { KojiHub } from '../koji/hub.js'
import type { Store } from '../storage/store.js'

/** The Secret holding the hub's koji_ssl_certs files. */
export const KOJI_SSL_CERTS_SECRET = 'kojisecret'

export async function startKojiHub(store: Store, namespace: string, targets: readonly string[] = []): Promise<KojiHub> {
  const koji = new KojiHub()
  await koji.start()
  for (const target of targets) koji.addTarget(target)
  const data = Object.fromEntries(Object.entries(koji.sslCerts).map(([k, v]) => [k, Buffer.from(v).toString('base64')]))
  if (store.has('secrets', namespace, KOJI_SSL_CERTS_SECRET)) {
    store.modify('secrets', namespace, KOJI_SSL_CERTS_SECRET, (o) => ({ ...o, data }))
  } else {
    store.create('secrets', { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: KOJI_SSL_CERTS_SECRET, namespace }, data })
  }
  return koji
}
