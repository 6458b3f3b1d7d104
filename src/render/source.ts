/**
 * `spec.source` of the BuildConfig (and of a Build the action posts), and the environment that lets the build's
 * own `git` clone with the source secret. Pure.
 *
 * OpenShift 3.11's custom strategy mounts `spec.source.sourceSecret` at /var/run/secrets/openshift.io/source (one
 * file per key, mode 0600) and sets `SOURCE_SECRET_PATH` to that folder (origin
 * `pkg/build/controller/strategy/util.go`, setupSourceSecrets); it does not clone. atomic-reactor 1.6.26.3 clones
 * with a plain `git clone` of `SOURCE_URI` and never reads the secret (it reads `SOURCE_SECRET_PATH` only as the
 * Pulp certificates' folder, for a Pulp plugin without `pulp_secret_path`, which the action never renders). So the
 * action hands the build's `git` its configuration through the environment (`GIT_CONFIG_COUNT`,
 * `GIT_CONFIG_KEY_<n>`, `GIT_CONFIG_VALUE_<n>`, git 2.31 and later), as `actions/checkout` hands git its token:
 *
 * - an http(s) `git-uri`: a credential helper for that origin only, reading `username` and `password` from the
 *   mounted secret when git asks (a `kubernetes.io/basic-auth` secret: a GitHub token is the password);
 * - an ssh `git-uri` (`ssh://…`, `user@host:path`): `core.sshCommand` with the secret's `ssh-privatekey` and its
 *   `known_hosts` (a `kubernetes.io/ssh-auth` secret with a known_hosts key), nothing else offered or trusted.
 *
 * The credentials stay in the secret: the BuildConfig holds only these commands, which read the files at build time.
 */
import type { Settings } from '../settings.js'

/** Where OpenShift's custom strategy mounts the source secret, and the variable that names the folder. */
export const SOURCE_SECRET_MOUNT_PATH = '/var/run/secrets/openshift.io/source'

export interface EnvVar {
  name: string
  value: string
}

/** The credential helper git runs for `get`: the secret's username and password (other actions: nothing). */
export const CREDENTIAL_HELPER = '!f() { test "$1" = get || exit 0; echo "username=$(cat "$SOURCE_SECRET_PATH/username")"; echo "password=$(cat "$SOURCE_SECRET_PATH/password")"; }; f'

/** The ssh command git runs: the secret's key and known hosts only. */
export const SSH_COMMAND = 'ssh -i "$SOURCE_SECRET_PATH/ssh-privatekey" -o IdentitiesOnly=yes -o UserKnownHostsFile="$SOURCE_SECRET_PATH/known_hosts" -o StrictHostKeyChecking=yes'

/** `http(s)://host[:port]` of an http(s) git URI, or undefined for any other kind. */
export function httpOrigin(uri: string): string | undefined {
  if (!/^https?:\/\//i.test(uri)) return undefined
  try {
    return new URL(uri).origin
  } catch {
    return undefined
  }
}

/** The git configuration (as git's environment configuration) that makes the build's clone use the source secret. */
export function sourceCredentialEnv(settings: Settings): EnvVar[] {
  if (!settings.sourceSecret) return []
  const origin = httpOrigin(settings.git.uri)
  const [key, value] = origin ? [`credential.${origin}.helper`, CREDENTIAL_HELPER] : ['core.sshCommand', SSH_COMMAND]
  return [
    { name: 'GIT_CONFIG_COUNT', value: '1' },
    { name: 'GIT_CONFIG_KEY_0', value: key },
    { name: 'GIT_CONFIG_VALUE_0', value }
  ]
}

/** `spec.source`: the repository and branch, and the source secret when there is one. */
export function renderSource(settings: Settings): Record<string, unknown> {
  return {
    type: 'Git',
    git: { uri: settings.git.uri, ref: settings.git.branch },
    ...(settings.sourceSecret ? { sourceSecret: { name: settings.sourceSecret } } : {})
  }
}
