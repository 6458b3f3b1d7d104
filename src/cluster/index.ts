/**
 * The cluster room's public face: the one place that talks to the cluster. Its parts, each with one job, are in
 * cluster/: types, errors (Status mapping, TLS reasons), failures (what a failed request says, without
 * credentials), retry (and the time limit of a request), kubeconfig (reading one, finding one), config (the
 * kubeconfig of the settings, with CA and proxy), no-proxy (NO_PROXY as curl and kubectl read it), credentials
 * (applied as client-node applies them; the connection pool), client (URLs, requests, watches), stream (response
 * bodies, watch events), connect (the client for the action's settings), custom-strategy (the permission Custom builds need, in words),
 * dispatcher (the same proxy handling for a request to another server: the commit status, the Koji hub).
 */
export * from './types.js'
export * from './errors.js'
export { backoffDelay, DEFAULT_RETRY, parseRetryAfter, sleep, type RetryPolicy } from './retry.js'
export { SERVICE_ACCOUNT_DIR } from './kubeconfig.js'
export { caDataFromPem, loadConfig, proxyFor, type LoadedConfig } from './config.js'
export { Cluster } from './resources.js'
export { CUSTOM_STRATEGY_ROLE, customStrategyDenied, grantCommand } from './custom-strategy.js'
export { ClusterClient, type ClusterOptions } from './client.js'
export { connectCluster, type ConnectHooks } from './connect.js'
