/**
 * One anonymous call to a Koji hub, as koji's ClientSession makes it without a login (`koji buildinfo`, `koji
 * list-builds`): `POST <koji-hub>` with an XML-RPC methodCall, keyword arguments as koji.encode_args sends them. Over
 * the cluster module's transport (cluster/dispatcher.ts: the runner's proxy, Node's CAs). A failure is a
 * KojiCallError saying what failed, never with the URL's user info.
 */
import { fetch } from 'undici'
import { dispatcherFor } from '../cluster/dispatcher.js'
import { withoutUserInfo } from '../shared/mask.js'
import { VERSION } from '../shared/version.js'
import { decodeResponse, encodeCall, XmlRpcFault, type XmlRpcValue } from './xmlrpc.js'

export interface KojiCallOptions {
  env?: Record<string, string | undefined>
  /** How long one call may take (default 30 s). */
  timeoutMs?: number
  signal?: AbortSignal
}

/** What a call to the hub failed with: `<method>: <why>`. */
export class KojiCallError extends Error {
  constructor(
    readonly method: string,
    why: string,
    /** Koji's fault code, when the hub answered with a fault. */
    readonly faultCode?: number
  ) {
    super(`${method}: ${why}`)
    this.name = 'KojiCallError'
  }
}

/** The hub's answer to `method(*params, **keywords)`. */
export async function kojiCall(hub: string, method: string, params: XmlRpcValue[], keywords?: Record<string, XmlRpcValue>, options: KojiCallOptions = {}): Promise<XmlRpcValue> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const timeout = AbortSignal.timeout(timeoutMs)
  const dispatcher = dispatcherFor(hub, options.env ?? process.env)
  let text: string
  try {
    const response = await fetch(hub, {
      method: 'POST',
      dispatcher,
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      headers: { 'content-type': 'text/xml', 'user-agent': `osbs-build-action/${VERSION}` },
      body: encodeCall(method, params, keywords)
    })
    text = await response.text()
    if (!response.ok) throw new KojiCallError(method, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`)
  } catch (error) {
    if (error instanceof KojiCallError) throw error
    // undici's "fetch failed" has the reason in its cause (connect ECONNREFUSED ..., a certificate error)
    const cause = (error as { cause?: { message?: unknown } }).cause
    const why = timeout.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : typeof cause?.message === 'string' ? cause.message : (error as Error).message
    throw new KojiCallError(method, withoutUserInfo(why))
  } finally {
    void dispatcher.destroy().catch(() => {})
  }
  try {
    return decodeResponse(text)
  } catch (error) {
    if (error instanceof XmlRpcFault) throw new KojiCallError(method, `the hub answered with fault ${error.faultCode}: ${error.faultString}`, error.faultCode)
    throw new KojiCallError(method, `the answer is not XML-RPC (${(error as Error).message})`)
  }
}
