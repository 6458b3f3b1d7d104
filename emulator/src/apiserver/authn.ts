/**
 * Who is asking: the cluster's token (the user `developer`, a stored `User` served as `users/~`) and service
 * account tokens. As on OpenShift, every namespace has the service accounts `builder`, `default` and `deployer`,
 * and the token controller gives each service account a token secret (`<sa>-token-xxxxx`, type
 * `kubernetes.io/service-account-token`, data `token`, `namespace`, `ca.crt`) and a dockercfg secret; the token
 * authenticates as `system:serviceaccount:<ns>:<sa>` for as long as its secret exists. Tokens are HS256 JWTs
 * signed with a key of this cluster (OpenShift signs RS256 with the service account key; clients treat them as
 * opaque).
 */
import { createHash, createHmac, createPublicKey, randomBytes, timingSafeEqual, verify, type KeyObject } from 'node:crypto'
import type { KubeObject, Store, StoreEvent } from '../storage/store.js'
import { WorkQueue } from '../util/workqueue.js'

export const CLUSTER_USER = 'developer'
export const DEFAULT_SERVICE_ACCOUNTS = ['builder', 'default', 'deployer']
const TOKEN_TYPE = 'kubernetes.io/service-account-token'

/**
 * An external OIDC issuer the API server trusts, as OpenShift's OIDC authentication (the kube-apiserver's
 * `--oidc-issuer-url`, `--oidc-client-id`, `--oidc-username-claim=sub`, `--oidc-username-prefix`): an RS256 JWT
 * signed by the issuer's key, with this `iss`, the audience among `aud`, and `exp` not passed, authenticates as
 * `<usernamePrefix><sub>` in the group `system:authenticated`. GitHub Actions' ID tokens are such tokens.
 */
export interface OidcIssuer {
  issuer: string
  audience: string
  /** PEM of the issuer's public key (its JWKS key) */
  publicKey: string
  /** default `oidc:` */
  usernamePrefix?: string
}

export interface Identity {
  name: string
  groups: string[]
  /** the stored User (the cluster token's user), if any */
  stored: boolean
}

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url')
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64')
const suffix = (): string => {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789'
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('')
}

export class Accounts {
  /** signs service account tokens: derived from the cluster token (stable across restarts with the same token) */
  private readonly key: Buffer
  private unsubscribe?: () => void
  private readonly queue = new WorkQueue('service account controller', (key) => {
    const [kind, a, b] = key.split('/') as [string, string, string]
    if (kind === 'ns') this.ensureServiceAccounts(a)
    else this.ensureTokens(a, b)
  })

  constructor(
    private readonly store: Store,
    /** undefined: authentication is off */
    private readonly clusterToken: string | undefined,
    /** PEM of the serving certificate, for the token secrets' `ca.crt` */
    private readonly caCert: () => string | undefined = () => undefined,
    private readonly oidc?: OidcIssuer
  ) {
    this.key = clusterToken ? createHash('sha256').update(`service-account-tokens\0${clusterToken}`).digest() : randomBytes(32)
    this.oidcKey = oidc ? createPublicKey(oidc.publicKey) : undefined
  }

  private readonly oidcKey?: KeyObject

  /** The identity of an ID token of the trusted OIDC issuer, or undefined when it is not one (or not valid). */
  private oidcIdentity(parts: string[]): Identity | undefined {
    if (!this.oidc || !this.oidcKey) return undefined
    try {
      const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: string }
      if (header.alg !== 'RS256') return undefined
      if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), this.oidcKey, Buffer.from(parts[2]!, 'base64url'))) return undefined
      const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: unknown; aud?: unknown; exp?: unknown; sub?: unknown }
      const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
      if (claims.iss !== this.oidc.issuer || !audiences.includes(this.oidc.audience)) return undefined
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now() || typeof claims.sub !== 'string') return undefined
      return { name: `${this.oidc.usernamePrefix ?? 'oidc:'}${claims.sub}`, groups: ['system:authenticated'], stored: false }
    } catch {
      return undefined
    }
  }

  start(): void {
    if (!this.store.has('users', '', CLUSTER_USER)) {
      this.store.create('users', { kind: 'User', apiVersion: 'user.openshift.io/v1', metadata: { name: CLUSTER_USER }, identities: [`anypassword:${CLUSTER_USER}`], groups: null })
    }
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e))
    for (const ns of this.store.peekList('namespaces')) this.ensureServiceAccounts(ns.metadata.name)
    for (const sa of this.store.peekList('serviceaccounts')) this.ensureTokens(sa.metadata.namespace!, sa.metadata.name)
  }

  close(): void {
    this.queue.close()
    this.unsubscribe?.()
  }

  private onEvent(e: StoreEvent): void {
    if (e.plural === 'namespaces' && e.type === 'ADDED') this.queue.add(`ns/${e.object.metadata.name}`)
    else if (e.plural === 'serviceaccounts' && e.type !== 'DELETED') this.queue.add(`sa/${e.object.metadata.namespace}/${e.object.metadata.name}`)
    else if (e.plural === 'serviceaccounts' && e.type === 'DELETED') {
      // its token secrets go with it (the token controller deletes them)
      for (const s of this.store.peekList('secrets', e.object.metadata.namespace)) {
        if (s.metadata.annotations?.['kubernetes.io/service-account.uid'] === e.object.metadata.uid) this.store.delete('secrets', s.metadata.namespace!, s.metadata.name)
      }
    }
  }

  private ensureServiceAccounts(ns: string): void {
    if (!this.store.has('namespaces', '', ns)) return
    for (const name of DEFAULT_SERVICE_ACCOUNTS) {
      if (!this.store.has('serviceaccounts', ns, name)) this.store.create('serviceaccounts', { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name, namespace: ns }, secrets: [] })
      this.ensureTokens(ns, name)
    }
  }

  /** Give the service account a token secret and a dockercfg secret when it has none (the token controller). */
  private ensureTokens(ns: string, name: string): void {
    const sa = this.store.peek('serviceaccounts', ns, name)
    if (!sa) return
    const own = this.store.peekList('secrets', ns).filter((s) => s.metadata.annotations?.['kubernetes.io/service-account.uid'] === sa.metadata.uid)
    const listed = new Set(((sa.secrets ?? []) as any[]).map((s) => s?.name))
    let token = own.find((s) => s.type === TOKEN_TYPE)
    let dockercfg = own.find((s) => s.type === 'kubernetes.io/dockercfg')
    const annotations = { 'kubernetes.io/service-account.name': name, 'kubernetes.io/service-account.uid': sa.metadata.uid as string }
    if (!token) {
      const secretName = `${name}-token-${suffix()}`
      const data: Record<string, string> = { token: b64(this.sign(ns, name, sa.metadata.uid as string, secretName)), namespace: b64(ns) }
      const ca = this.caCert()
      if (ca) data['ca.crt'] = b64(ca)
      token = this.store.create('secrets', { kind: 'Secret', apiVersion: 'v1', metadata: { name: secretName, namespace: ns, annotations }, type: TOKEN_TYPE, data })
    }
    if (!dockercfg) {
      dockercfg = this.store.create('secrets', {
        kind: 'Secret',
        apiVersion: 'v1',
        metadata: { name: `${name}-dockercfg-${suffix()}`, namespace: ns, annotations: { ...annotations, 'openshift.io/token-secret.name': token.metadata.name } },
        type: 'kubernetes.io/dockercfg',
        data: { '.dockercfg': b64('{}') }
      })
    }
    if (listed.has(token.metadata.name) && listed.has(dockercfg.metadata.name)) return
    this.store.modify('serviceaccounts', ns, name, (o) => {
      const names = new Set(((o.secrets ?? []) as any[]).map((s) => s?.name))
      o.secrets = [...((o.secrets ?? []) as any[]), ...[token!, dockercfg!].filter((s) => !names.has(s.metadata.name)).map((s) => ({ name: s.metadata.name }))]
      const pulls = new Set(((o.imagePullSecrets ?? []) as any[]).map((s) => s?.name))
      if (!pulls.has(dockercfg!.metadata.name)) o.imagePullSecrets = [...((o.imagePullSecrets ?? []) as any[]), { name: dockercfg!.metadata.name }]
      return o
    })
  }

  private signature(unsigned: string): string {
    return createHmac('sha256', this.key).update(unsigned).digest('base64url')
  }

  private sign(ns: string, sa: string, uid: string, secretName: string): string {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
    const payload = b64url(
      JSON.stringify({
        iss: 'kubernetes/serviceaccount',
        'kubernetes.io/serviceaccount/namespace': ns,
        'kubernetes.io/serviceaccount/secret.name': secretName,
        'kubernetes.io/serviceaccount/service-account.name': sa,
        'kubernetes.io/serviceaccount/service-account.uid': uid,
        sub: `system:serviceaccount:${ns}:${sa}`
      })
    )
    return `${header}.${payload}.${this.signature(`${header}.${payload}`)}`
  }

  /** The identity of a bearer token, or undefined when it is not valid here. */
  authenticate(token: string | undefined): Identity | undefined {
    if (this.clusterToken === undefined) return { name: CLUSTER_USER, groups: ['system:authenticated', 'system:authenticated:oauth'], stored: true }
    if (!token) return undefined
    if (token === this.clusterToken) return { name: CLUSTER_USER, groups: ['system:authenticated', 'system:authenticated:oauth'], stored: true }
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    const external = this.oidcIdentity(parts)
    if (external) return external
    const expected = Buffer.from(this.signature(`${parts[0]}.${parts[1]}`))
    const given = Buffer.from(parts[2]!)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined
    let claims: Record<string, string>
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'))
    } catch {
      return undefined
    }
    const ns = claims['kubernetes.io/serviceaccount/namespace']!
    const secret = this.store.peek('secrets', ns, claims['kubernetes.io/serviceaccount/secret.name']!)
    // a token is valid as long as its secret and its service account exist
    if (!secret || !this.store.peek('serviceaccounts', ns, claims['kubernetes.io/serviceaccount/service-account.name']!)) return undefined
    return { name: claims.sub!, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'], stored: false }
  }

  /** `users/~`: the stored User of the identity, or (a service account) the User OpenShift synthesizes. */
  whoAmI(id: Identity): KubeObject {
    if (id.stored) {
      const u = this.store.peek('users', '', id.name)
      if (u) return u
    }
    return { kind: 'User', apiVersion: 'user.openshift.io/v1', metadata: { name: id.name }, identities: null, groups: id.groups }
  }
}
