/**
 * Reading a kubeconfig's text without ever quoting it: a file that does not parse is reported by line, column and
 * what the parser expected (js-yaml's own message quotes the lines around the mistake, credentials included), and
 * its credentials are found from the text first, so that they are masked even then. Pure: no I/O of its own.
 */
import { Kubeconfig, userCredentials } from './kubeconfig.js'
import { checkServerUrl } from './server-url.js'
import { credentialsInText, maskList, urlCredentials } from '../shared/mask.js'

export interface KubeconfigInfo {
  kubeConfig: Kubeconfig
  namespace?: string
  server?: string
  /** Values to mask: every credential of the file (each line of a multi-line one too). */
  secrets: string[]
}

export type KubeconfigRead = ({ ok: true } & KubeconfigInfo) | { ok: false; /** what is wrong, by position; never file content */ reason: string; secrets: string[] }

/** A character an HTTP header value cannot hold, or that has no place in a bearer token. */
const NOT_IN_TOKEN = /[\s\x00-\x1f\x7f]/

/** A parser's reason with every quoted or named piece of the text taken out (an alias, a tag, a key). */
function reasonWithoutText(reason: string): string {
  return reason.replace(/"[^"]*"|'[^']*'|!<[^>]*>|!\S*|\*\S+|&\S+/g, '…').trim()
}

/** Where and why a kubeconfig's text cannot be read, from the parser's error, without any of the text. */
function describeError(error: unknown): string {
  const e = error as { name?: string; reason?: string; mark?: { line?: number; column?: number }; message?: string }
  if (e?.name === 'YAMLException' && e.mark && typeof e.mark.line === 'number') {
    return `line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1}: ${reasonWithoutText(e.reason ?? 'invalid YAML')}`
  }
  // client-node's own checks name the entry and the missing field (`clusters[0].cluster.server is missing`).
  const message = e?.message ?? ''
  if (/^(clusters|contexts|users)\[\d+\](\.[\w.-]+)? is missing$/.test(message)) return message
  return 'it is not a kubeconfig: a YAML (or JSON) mapping with clusters, contexts, users and current-context'
}

/** Parses a kubeconfig's text: its current context's server and namespace and every credential, or why not. */
export function readKubeconfigText(text: string): KubeconfigRead {
  const early = [...credentialsInText(text), ...urlCredentials(text)]
  let kc: Kubeconfig
  try {
    kc = Kubeconfig.parse(text)
  } catch (error) {
    return { ok: false, reason: describeError(error), secrets: maskList(early) }
  }
  const secrets = maskList([...early, ...kc.users.flatMap(userCredentials)])
  const context = kc.getContextObject(kc.getCurrentContext())
  const server = kc.getCurrentCluster()?.server || undefined
  if (server !== undefined) {
    const checked = checkServerUrl(server, { allowPath: true })
    if ('reason' in checked) return { ok: false, reason: `the server of the current context is not valid: ${checked.reason}`, secrets }
  }
  const user = kc.getCurrentUser()
  if (user?.token && NOT_IN_TOKEN.test(user.token.trim())) {
    return {
      ok: false,
      reason: `user '${user.name}' has a token with a line break, a space or a control character in it (the token is not shown); a bearer token is one line of visible characters`,
      secrets
    }
  }
  return { ok: true, kubeConfig: kc, namespace: context?.namespace || undefined, server, secrets }
}

/** Parses a kubeconfig's text, or throws an Error saying where it is wrong (never quoting it). */
export function loadKubeconfig(text: string, where: string): Kubeconfig {
  try {
    return Kubeconfig.parse(text)
  } catch (error) {
    throw new Error(`${where} cannot be read as a kubeconfig (${describeError(error)})`)
  }
}

/** Why a bearer token cannot be sent, without the token: undefined when it can. */
export function tokenProblem(token: string): string | undefined {
  const at = token.search(NOT_IN_TOKEN)
  if (at < 0) return undefined
  const c = token[at]
  const what = c === '\n' || c === '\r' ? 'a line break' : /\s/.test(c) ? 'a space' : 'a control character'
  return `it has ${what} at character ${at + 1} (the token is not shown)`
}
