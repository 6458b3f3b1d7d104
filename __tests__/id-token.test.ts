/** The OIDC ID token cache (src/cluster/id-token.ts): one fetch in flight, again only shortly before `exp`. */
import { describe, expect, it } from '@jest/globals'
import { cachedIdToken, ID_TOKEN_EXPIRY_MARGIN_MS, ID_TOKEN_FALLBACK_LIFETIME_MS, jwtExpiry } from '../src/cluster/id-token.js'

const jwt = (claims: object) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`

/** A fetch that hands out numbered tokens expiring `lifetimeS` after the clock, answering when `release` is called. */
function tokens(clock: { now: number }, lifetimeS: number | undefined) {
  const waiting: Array<() => void> = []
  let fetched = 0
  const fetch = () =>
    new Promise<string>((resolve) => {
      fetched++
      const n = fetched
      waiting.push(() => resolve(lifetimeS === undefined ? `opaque-${n}` : jwt({ n, exp: Math.floor(clock.now / 1000) + lifetimeS })))
    })
  return { fetch, fetched: () => fetched, release: () => waiting.splice(0).forEach((r) => r()) }
}

describe('cachedIdToken', () => {
  it('concurrent first reads share one fetch', async () => {
    const clock = { now: 1_000_000_000_000 }
    const t = tokens(clock, 300)
    const get = cachedIdToken(t.fetch, () => clock.now)
    const reads = [get(), get(), get(), get(), get(), get()]
    t.release()
    const values = await Promise.all(reads)
    expect(t.fetched()).toBe(1)
    expect(new Set(values).size).toBe(1)
  })

  it(`is fetched again only from ${ID_TOKEN_EXPIRY_MARGIN_MS / 1000} s before its exp`, async () => {
    const clock = { now: 1_000_000_000_000 }
    const t = tokens(clock, 300)
    const get = cachedIdToken(t.fetch, () => clock.now)
    const first = get()
    t.release()
    const a = await first
    clock.now += 300_000 - ID_TOKEN_EXPIRY_MARGIN_MS - 1
    expect(await get()).toBe(a)
    expect(t.fetched()).toBe(1)
    clock.now += 1
    const second = get()
    t.release()
    expect(await second).not.toBe(a)
    expect(t.fetched()).toBe(2)
  })

  it('a token without a readable exp is used for the fallback lifetime', async () => {
    const clock = { now: 1_000_000_000_000 }
    const t = tokens(clock, undefined)
    const get = cachedIdToken(t.fetch, () => clock.now)
    const first = get()
    t.release()
    await first
    clock.now += ID_TOKEN_FALLBACK_LIFETIME_MS - 1
    await get()
    expect(t.fetched()).toBe(1)
    clock.now += 1
    const again = get()
    t.release()
    expect(await again).toBe('opaque-2')
  })

  it('a failed fetch is not kept: the next read fetches again', async () => {
    let calls = 0
    const get = cachedIdToken(async () => {
      calls++
      if (calls === 1) throw new Error('the token endpoint answered 500')
      return jwt({ exp: Math.floor(Date.now() / 1000) + 300 })
    })
    await expect(get()).rejects.toThrow('500')
    await expect(get()).resolves.toMatch(/\.sig$/)
    expect(calls).toBe(2)
  })

  it('reads exp from a JWT, and nothing from other tokens', () => {
    expect(jwtExpiry(jwt({ exp: 1700000000 }))).toBe(1_700_000_000_000)
    expect(jwtExpiry(jwt({ exp: '1700000000' }))).toBeUndefined()
    expect(jwtExpiry('sha256~opaque')).toBeUndefined()
    expect(jwtExpiry('a.!!!.c')).toBeUndefined()
  })
})
