/**
 * A kubeconfig as data: what `KubeConfig.loadFromString` of `@kubernetes/client-node` reads (js-yaml, then
 * client-node's own `newClusters` / `newContexts` / `newUsers`, which validate and name every field), without
 * loading the client itself: `KubeConfig` lives in a module that evaluates all of client-node's generated API
 * classes, which a run that reads its inputs or sends a few requests never uses.
 */
import path from 'node:path'
import { load } from 'js-yaml'
import { newClusters, newContexts, newUsers, type Cluster as KubeCluster, type Context as KubeContext, type User as KubeUser } from '@kubernetes/client-node/dist/config_types.js'

export type { KubeCluster, KubeContext, KubeUser }

/** The kubeconfig files looked for when none is given, in order: each of `$KUBECONFIG`, then `~/.kube/config`. */
export function defaultKubeconfigFiles(env: Record<string, string | undefined>, home: string): string[] {
  return [...(env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean), path.join(home, '.kube', 'config')]
}

/** Where a pod finds its service account: `token`, `ca.crt`, `namespace`. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

export interface KubeconfigOptions {
  clusters: KubeCluster[]
  users: KubeUser[]
  contexts: KubeContext[]
  currentContext: string
}

/** The clusters, users and contexts of a kubeconfig, and the lookups of its current context. */
export class Kubeconfig {
  readonly clusters: KubeCluster[]
  readonly users: KubeUser[]
  readonly contexts: KubeContext[]
  readonly currentContext: string

  constructor(options: KubeconfigOptions) {
    this.clusters = options.clusters ?? []
    this.users = options.users ?? []
    this.contexts = options.contexts ?? []
    this.currentContext = options.currentContext
  }

  /** Parse kubeconfig YAML (or JSON) as client-node does; throws on a config it would refuse. */
  static parse(text: string): Kubeconfig {
    const obj = (load(text) ?? {}) as Record<string, unknown>
    return new Kubeconfig({
      clusters: newClusters(obj.clusters),
      contexts: newContexts(obj.contexts),
      users: newUsers(obj.users),
      currentContext: obj['current-context'] as string
    })
  }

  getCurrentContext(): string {
    return this.currentContext
  }

  getContextObject(name: string): KubeContext | null {
    return this.contexts.find((c) => c.name === name) ?? null
  }

  getCurrentCluster(): KubeCluster | null {
    const context = this.getContextObject(this.currentContext)
    return context ? (this.clusters.find((c) => c.name === context.cluster) ?? null) : null
  }

  getCurrentUser(): KubeUser | null {
    const context = this.getContextObject(this.currentContext)
    return context ? (this.users.find((u) => u.name === context.user) ?? null) : null
  }
}

/** The auth-provider config keys that hold credentials (the others name endpoints, clients and commands). */
const PROVIDER_SECRETS = ['access-token', 'id-token', 'refresh-token', 'client-secret']

/** Every credential a kubeconfig user holds: token, password, client key and the auth-provider's secrets. */
export function userCredentials(user: KubeUser | null | undefined): string[] {
  if (!user) return []
  return [user.token, user.password, user.keyData, ...PROVIDER_SECRETS.map((key) => user.authProvider?.config?.[key])].filter((v): v is string => typeof v === 'string' && v !== '')
}
