/** The files of a cluster's directory: the kubeconfig, the README beside it, the saved objects (objects.json). */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { KubeObject } from '../api/object.js'
import type { RealImages } from '../images/real/engine.js'
import { isTerminal } from '../registry/build/strategy.js'
import { nowRFC3339, type Store } from '../storage/store.js'

export function kubeconfigYAML(server: string, token: string, namespace: string, ca?: string): string {
  const q = (s: string) => JSON.stringify(s)
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: local-openshift',
    '  cluster:',
    `    server: ${q(server)}`,
    ...(ca ? [`    certificate-authority-data: ${Buffer.from(ca).toString('base64')}`] : []),
    'users:',
    '- name: local-openshift-user',
    '  user:',
    ...(token ? [`    token: ${q(token)}`] : ['    {}']),
    'contexts:',
    '- name: local-openshift',
    '  context:',
    '    cluster: local-openshift',
    '    user: local-openshift-user',
    `    namespace: ${q(namespace)}`,
    'current-context: local-openshift',
    'preferences: {}',
    ''
  ]
  return lines.join('\n')
}

/** The README written beside the kubeconfig: where the API and the registries are. */
export function clusterReadme(url: string, namespace: string, builds: 'real' | 'simulated', engine?: RealImages): string {
  const lines = ['Local OpenShift', '', `API server: ${url} (kubeconfig: the file "kubeconfig" here), namespace ${namespace}`, `Builds: ${builds}`]
  if (builds === 'real' && engine) {
    lines.push('', 'Registries (docker registry API v2 over TLS):')
    for (const [name, host] of Object.entries(engine.hosts)) lines.push(`  ${name}: ${host}${host === engine.sourceHost ? ' (base images are published here)' : ''}`)
    lines.push(`Their certificate (self-signed, for 127.0.0.1 and localhost, made for this cluster): ${engine.caFile}`)
    lines.push('', 'Give the action registry-uri: <registry>/v2 and source-registry-uri: <source registry>.')
    lines.push(`Read an image back: skopeo inspect --cert-dir ${dirname(engine.caFile)} docker://<image>`)
    lines.push('  (or skopeo inspect --tls-verify=false docker://<image>, without checking the certificate)')
  } else {
    lines.push('Images are not built: the registries are in memory (the /v2/ API of the server above).')
  }
  return lines.join('\n') + '\n'
}

const SAVED_KINDS = ['namespaces', 'users', 'serviceaccounts', 'secrets', 'configmaps', 'resourcequotas', 'buildconfigs', 'builds', 'imagestreams']

export function loadState(store: Store, file: string): void {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, KubeObject[]> & { resourceVersion?: string }
  store.advanceTo(Number(saved.resourceVersion ?? 0))
  for (const plural of SAVED_KINDS) {
    for (const o of saved[plural] ?? []) {
      if (plural === 'builds' && !isTerminal(o)) {
        // The pod did not survive the restart.
        o.status = { ...(o.status ?? {}), phase: 'Error', reason: 'BuildPodDeleted', message: 'The pod for this build was deleted before the build completed.', completionTimestamp: nowRFC3339() }
      }
      if (!store.has(plural, o.metadata.namespace ?? '', o.metadata.name)) store.create(plural, o)
    }
  }
}

/** Write the objects a restart keeps (see loadState). */
export function saveState(store: Store, file: string): void {
  const saved: Record<string, unknown> = { resourceVersion: store.resourceVersion }
  for (const p of SAVED_KINDS) saved[p] = store.list(p)
  writeFileSync(file, JSON.stringify(saved))
}
