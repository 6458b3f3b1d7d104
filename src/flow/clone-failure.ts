/**
 * Why a build could not clone its source, from the end of its log. atomic-reactor clones before any plugin runs,
 * so such a build has no plugin error to report, only git's own message among its last lines; the step names the
 * repository, says what git said and what to do (set source-secret, or check the secret's credentials).
 */
import type { Cluster } from '../cluster/index.js'
import type { BuildPlan } from '../plan/plan.js'

/** git's messages when the server wants credentials that were not given, or refused the ones given. */
const NO_CREDENTIALS = /(?:fatal: )?could not read (?:Username|Password) for '[^']*': [^\n]*/
const REFUSED = [/(?:fatal: )?Authentication failed for '[^']*'/, /Permission denied \(publickey[^)]*\)\.?/, /Host key verification failed\.?/, /(?:remote: )?Repository not found\.?/]

/** The lines the log is searched in: the last ones, where atomic-reactor gave up. */
export const CLONE_LOG_TAIL_LINES = 200

/** The message for a build whose log shows that git could not authenticate, else undefined. Pure. */
export function cloneFailureMessage(plan: BuildPlan, log: string): string | undefined {
  const uri = plan.settings.git.uri
  const secret = plan.settings.sourceSecret
  const missing = NO_CREDENTIALS.exec(log)?.[0]
  const refused = REFUSED.map((pattern) => pattern.exec(log)?.[0]).find((m) => m !== undefined)
  const said = missing ?? refused
  if (!said) return undefined
  if (!secret)
    return (
      `The build could not clone ${uri}: the repository asks for credentials (git: ${said.trim()}). ` +
      `For a private repository, create a secret with them in namespace ${plan.settings.namespace} and set input source-secret to its name ` +
      `(see "Private repositories" in the README)`
    )
  return (
    `The build could not clone ${uri} with the credentials of secret "${secret}" (input source-secret) (git: ${said.trim()}). ` +
    `Check that the secret holds username and password (a token that may read the repository) for an https git-uri, or ssh-privatekey and known_hosts for an ssh one`
  )
}

/** Read the end of a failed build's log and explain a clone that could not authenticate; undefined when it is something else or the log cannot be read. */
export async function readCloneFailure(plan: BuildPlan, client: Cluster, name: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const chunks: Buffer[] = []
    for await (const chunk of await client.buildLog(name, { tailLines: CLONE_LOG_TAIL_LINES }, signal)) chunks.push(Buffer.from(chunk))
    return cloneFailureMessage(plan, Buffer.concat(chunks).toString('utf8'))
  } catch (error) {
    if (signal?.aborted) throw error
    return undefined
  }
}
