/**
 * Why a build could not clone its source, from the end of its log. atomic-reactor clones before any plugin runs,
 * so such a build has no plugin error to report, only git's own message among its last lines; the step names the
 * repository, says what git said and what to do: set source-secret, or check the secret's credentials (git could
 * not authenticate); check git-uri (the repository could not be read); push the commit or run the workflow again
 * on the pull request's current head (the repository has no such commit or branch).
 *
 * atomic-reactor 1.6.26.3's clone_git_repo tries `git clone -b <ref> --depth 1`, then `--single-branch`, then a
 * full clone and `git reset --hard <ref>`: git's "Remote branch <ref> not found" is in the log of every build of a
 * commit id (the first two attempts take branch names only), so only the last attempt's messages say why it failed.
 */
import type { Cluster } from '../cluster/index.js'
import type { BuildPlan } from '../plan/plan.js'

/** git's messages when the server wants credentials that were not given, or refused the ones given. */
const NO_CREDENTIALS = /(?:fatal: )?could not read (?:Username|Password) for '[^']*': [^\n]*/
const REFUSED = [/(?:fatal: )?Authentication failed for '[^']*'/, /Permission denied \(publickey[^)]*\)\.?/, /Host key verification failed\.?/, /(?:remote: )?Repository not found\.?/]

/** git's messages when the repository itself could not be read (a wrong git-uri, a deleted fork, no such host). */
const UNREADABLE = [
  /fatal: '[^'\n]*' does not appear to be a git repository/,
  /fatal: repository '[^'\n]*' not found/,
  /fatal: unable to access '[^'\n]*': [^\n]*/,
  /fatal: Could not resolve host: [^\n]*/
]
/** git's messages when the repository has no such commit or branch (the full clone's `git reset --hard <ref>`). */
const NO_SUCH_REF = [/fatal: Could not parse object '[^'\n]*'\.?/, /fatal: ambiguous argument '[^'\n]*': unknown revision[^\n]*/, /fatal: reference is not a tree: [^\n]*/]

/** The lines the log is searched in: the last ones, where atomic-reactor gave up. */
export const CLONE_LOG_TAIL_LINES = 200

const first = (patterns: RegExp[], log: string): string | undefined => patterns.map((pattern) => pattern.exec(log)?.[0]).find((m) => m !== undefined)

/** What the build checks out: a branch build its branch, a scratch or an isolated build its commit. */
function sourceRef(plan: BuildPlan): string {
  return plan.kind === 'branch' ? `branch ${plan.settings.git.branch}` : `commit ${plan.settings.git.commit}`
}

/** The message for a build whose log shows that the repository, or the commit or branch in it, could not be fetched, else undefined. Pure. */
export function fetchFailureMessage(plan: BuildPlan, log: string): string | undefined {
  const uri = plan.settings.git.uri
  const unreadable = first(UNREADABLE, log)
  const noRef = unreadable ? undefined : first(NO_SUCH_REF, log)
  const said = unreadable ?? noRef
  if (!said) return undefined
  const what = `The build could not fetch ${sourceRef(plan)} from ${uri}`
  if (unreadable) return `${what}: the repository could not be read (git: ${said.trim()}). Check input git-uri: it must be a URL the cluster's builds can clone`
  const pullRequest = plan.settings.pullRequest
  if (plan.kind === 'scratch' && pullRequest)
    return (
      `${what}: the repository has no such commit (git: ${said.trim()}). The head of pull request #${pullRequest.number} is no longer there ` +
      `(pushed over, or its branch or fork deleted) or git-uri names another repository: run the workflow again on the pull request's current head, or correct input git-uri`
    )
  return `${what}: the repository has no such ${plan.kind === 'branch' ? 'branch' : 'commit'} (git: ${said.trim()}). Push it to ${uri}, or correct input git-uri`
}

/** The message for a build whose log shows that git could not authenticate or fetch what it had to, else undefined. Pure. */
export function cloneFailureMessage(plan: BuildPlan, log: string): string | undefined {
  return credentialFailureMessage(plan, log) ?? fetchFailureMessage(plan, log)
}

/** The message for a build whose log shows that git could not authenticate, else undefined. Pure. */
function credentialFailureMessage(plan: BuildPlan, log: string): string | undefined {
  const uri = plan.settings.git.uri
  const secret = plan.settings.sourceSecret
  const missing = NO_CREDENTIALS.exec(log)?.[0]
  const refused = first(REFUSED, log)
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

/** Read the end of a failed build's log and explain a clone that could not authenticate or fetch; undefined when it is something else or the log cannot be read. */
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
