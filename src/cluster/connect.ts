/** The client for the action's settings and its hooks into the toolkit (OIDC tokens, masking, debug lines). */
import type { ConnectionSettings } from '../settings.js'
import { Cluster } from './resources.js'
import { cachedIdToken, ID_TOKEN_RECHECK_MS } from './id-token.js'

export interface ConnectHooks {
  /** GitHub OIDC: an ID token for the audience (main.ts passes `core.getIDToken`). */
  getIdToken?: (audience: string) => Promise<string>
  /** Called with every credential obtained at run time, before it is used (main.ts passes `core.setSecret`). */
  setSecret?: (value: string) => void
  debug?: (message: string) => void
  env?: Record<string, string | undefined>
}

/** The client for the action's settings: namespace from the settings, OIDC tokens fetched (and masked) as needed. */
export function connectCluster(settings: { connection: ConnectionSettings; namespace: string }, hooks: ConnectHooks = {}): Cluster {
  const { connection } = settings
  const audience = connection.oidcAudience
  const getIdToken = hooks.getIdToken
  const tokenProvider =
    audience && !connection.token && getIdToken
      ? cachedIdToken(async () => {
          const token = await getIdToken(audience)
          hooks.setSecret?.(token)
          return token
        })
      : undefined
  if (audience && !connection.token && !getIdToken) throw new Error('oidc-audience is set, but no way to get an OIDC token was given')
  return Cluster.fromSettings(connection, {
    namespace: settings.namespace,
    env: hooks.env,
    debug: hooks.debug,
    tokenProvider,
    tokenLifetimeMs: ID_TOKEN_RECHECK_MS
  })
}
