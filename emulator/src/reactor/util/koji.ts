/**
 * The build pod's side of Koji (koji.ClientSession as atomic-reactor's koji_util creates it): XML-RPC calls to
 * a hub URL. A hub that cannot be reached is the ConnectionError of python-requests, with its message; a fault
 * is the koji exception the hub names.
 */
import { decodeResponse, encodeCall, XmlRpcFault, type XmlRpcValue } from '../../koji/xmlrpc.js'
import { FAULT_TYPES } from '../../koji/errors.js'
import { PyException } from './py.js'

export async function kojiCall(hub: string, method: string, params: XmlRpcValue[], signal?: AbortSignal): Promise<XmlRpcValue> {
  let url: URL
  try {
    url = new URL(hub)
  } catch {
    throw new PyException('MissingSchema', `Invalid URL '${hub}': No schema supplied. Perhaps you meant http://${hub}?`)
  }
  let text: string
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: encodeCall(method, params), signal })
    text = await res.text()
    if (!res.ok) throw new PyException('HTTPError', `${res.status} ${res.statusText} for url: ${hub}`)
  } catch (e) {
    if (e instanceof PyException || signal?.aborted) throw e
    const port = url.port || (url.protocol === 'https:' ? '443' : '80')
    const pool = url.protocol === 'https:' ? 'HTTPSConnectionPool' : 'HTTPConnectionPool'
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? 'ECONNREFUSED'
    const reason = cause === 'ENOTFOUND' || cause === 'EAI_AGAIN' ? '[Errno -2] Name or service not known' : '[Errno 111] Connection refused'
    throw new PyException(
      'ConnectionError',
      `${pool}(host='${url.hostname}', port=${port}): Max retries exceeded with url: ${url.pathname} (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object>: Failed to establish a new connection: ${reason}'))`
    )
  }
  try {
    return decodeResponse(text)
  } catch (e) {
    if (e instanceof XmlRpcFault) throw new PyException(FAULT_TYPES[e.faultCode] ?? 'Fault', e.faultString)
    throw e
  }
}
