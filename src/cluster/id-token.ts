/**
 * A GitHub OIDC ID token for one audience, fetched once per run and again only shortly before it expires. The
 * requests of a run go out together (the first reads): they share one fetch in flight instead of each fetching.
 */

/** Fetch again this long before the token's `exp`, so that no request carries a token that expires on the way. */
export const ID_TOKEN_EXPIRY_MARGIN_MS = 60_000
/**
 * How often the client asks the cache again (its `tokenLifetimeMs`): shorter than the margin, so that the client
 * never holds a token past `exp - margin + this`.
 */
export const ID_TOKEN_RECHECK_MS = 30_000
/** How long a token without a readable `exp` claim is used (GitHub's ID tokens carry one). */
export const ID_TOKEN_FALLBACK_LIFETIME_MS = 4 * 60_000

/** The `exp` claim of a JWT in milliseconds, or undefined when the token is not a JWT with a numeric `exp`. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1]
  if (!payload) return undefined
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined
  } catch {
    return undefined
  }
}

export function cachedIdToken(fetchToken: () => Promise<string>, now: () => number = Date.now): () => Promise<string> {
  let current: { value: string; refreshAt: number } | undefined
  let pending: Promise<string> | undefined
  return async () => {
    if (current && now() < current.refreshAt) return current.value
    pending ??= fetchToken()
      .then((value) => {
        const fetched = now()
        const expiry = jwtExpiry(value)
        current = { value, refreshAt: expiry !== undefined ? expiry - ID_TOKEN_EXPIRY_MARGIN_MS : fetched + ID_TOKEN_FALLBACK_LIFETIME_MS }
        return value
      })
      .finally(() => {
        pending = undefined
      })
    return pending
  }
}
