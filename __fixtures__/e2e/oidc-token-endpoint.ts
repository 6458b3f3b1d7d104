/**
 * A stand-in of the runner's ID token endpoint (GitHub Actions' OIDC), on loopback: what `@actions/core`'s
 * `getIDToken` asks when a job has `id-token: write`. The runner gives the step ACTIONS_ID_TOKEN_REQUEST_URL (with
 * its `?api-version=2.0`) and ACTIONS_ID_TOKEN_REQUEST_TOKEN; the toolkit's OidcClient sends
 * `GET <url>&audience=<audience>` with `Authorization: Bearer <request token>` and reads `{"value": "<jwt>"}`.
 * Tokens are RS256 JWTs of an issuer key made here, with GitHub's issuer and claims; the local OpenShift trusts
 * them when started with `oidc: issuer.trust(audience)`.
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OidcIssuer } from '../../emulator/src/index.js'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

export interface Issuer {
  /** The local OpenShift's setting that trusts this issuer's tokens for `audience`. */
  trust(audience: string): OidcIssuer
  /** An ID token as GitHub signs it, for `audience`, valid `lifetimeSeconds` from now. */
  token(audience: string, lifetimeSeconds: number): string
}

export function makeIssuer(subject = 'repo:acme/app:ref:refs/heads/main'): Issuer {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return {
    trust: (audience) => ({ issuer: GITHUB_ISSUER, audience, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
    token(audience, lifetimeSeconds) {
      const now = Math.floor(Date.now() / 1000)
      const header = b64url({ alg: 'RS256', typ: 'JWT', kid: 'local' })
      const claims = b64url({
        jti: randomUUID(),
        sub: subject,
        aud: audience,
        iss: GITHUB_ISSUER,
        nbf: now - 5,
        iat: now - 5,
        exp: now + lifetimeSeconds,
        repository: 'acme/app',
        ref: 'refs/heads/main'
      })
      return `${header}.${claims}.${sign('sha256', Buffer.from(`${header}.${claims}`), privateKey as KeyObject).toString('base64url')}`
    }
  }
}

export interface TokenRequest {
  method: string
  /** the path and query as received */
  url: string
  authorization?: string
}

export interface TokenEndpoint {
  /** ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, as the runner sets them */
  env: Record<string, string>
  /** every request received, in order */
  requests: TokenRequest[]
  /** the tokens handed out, in order */
  issued: string[]
  close(): Promise<void>
}

/** Serve ID tokens of `issuer`, valid `lifetimeSeconds` (GitHub's live some minutes). */
export async function startTokenEndpoint(issuer: Issuer, lifetimeSeconds = 300): Promise<TokenEndpoint> {
  const requestToken = randomBytes(24).toString('hex')
  const requests: TokenRequest[] = []
  const issued: string[] = []
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization })
    const url = new URL(req.url ?? '/', 'http://localhost')
    const audience = url.searchParams.get('audience')
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'GET') return answer(405, { message: 'GET only' })
    if (req.headers.authorization !== `Bearer ${requestToken}`) return answer(401, { message: 'the request token is not valid' })
    if (url.searchParams.get('api-version') !== '2.0') return answer(400, { message: 'api-version=2.0 is missing' })
    const token = issuer.token(audience ?? 'https://github.com/acme', lifetimeSeconds)
    issued.push(token)
    answer(200, { count: 1, value: token })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/_apis/distributedtask/hubs/Actions/plans/${randomUUID()}/jobs/${randomUUID()}/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken
    },
    requests,
    issued,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
