/**
 * The local OpenShift: an emulator of the OpenShift build and image APIs with an emulated atomic-reactor inside.
 *
 * Public API (stable):
 *
 *   const cluster = await startCluster({ port: 0 })
 *   cluster.url, cluster.token, cluster.namespace, cluster.kubeconfigPath, cluster.caCert (TLS)
 *   cluster.faults          fault injection (see faults.ts / README.md)
 *   cluster.requests        the requests served, in the order sent and answered (server/requests.ts)
 *   cluster.registries      the in-memory docker registries and Pulp environments
 *   cluster.publishExternalImage(ns, imageStream, tag, { from?, digest? })
 *   cluster.store           read access to every object (get / list / resourceVersion)
 *   await cluster.close()
 *
 * Options: see ClusterOptions (port, host, token, namespace, stateDir, tls, logWaitSeconds, logPace, podStartDelay,
 * reactor, craneHosts, watchHistory, watchMaxSeconds, fieldValidation, kubeconfig). The same fault injection and
 * external-image publication are served over HTTP under /_emulator/ (server/handler.ts, README.md).
 */
export { startCluster } from './cluster/start.js'
export { startGitServer, type GitServer } from './git/http-server.js'
export { KOJI_SSL_CERTS_SECRET } from './cluster/koji.js'
export type { Cluster, ClusterOptions } from './cluster/options.js'
export type { Reactor, ReactorHost, ReactorResult, ImportedTag } from './reactor/host.js'
export type { KubeObject } from './api/object.js'
export { FaultInjector, type RequestMatcher, type RequestFault, type PluginFault } from './faults.js'
export type { StoreReader } from './storage/store.js'
export type { OidcIssuer } from './apiserver/authn.js'
export type { PublishedImage } from './registry/imagestream/publish.js'
export type { MailMessage, MailServer } from './mail/smtp.js'
export type { YumRepos } from './yum/repo-server.js'
export { sequentialRoundTrips, type RequestEntry } from './server/requests.js'
