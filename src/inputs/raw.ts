/**
 * The action's inputs as they arrive (every name of action.yml, the raw values, the GitHub context, the local
 * environment): the types every input parser reads, with no parser of its own.
 */
import type { CheckoutRead } from '../checkout/workspace-files.js'

/** Every input of action.yml, in its order. */
export const INPUT_NAMES = [
  'openshift-server',
  'openshift-token',
  'kubeconfig',
  'oidc-audience',
  'certificate-authority',
  'insecure-skip-tls-verify',
  'namespace',
  'git-uri',
  'git-branch',
  'git-commit',
  'build-kind',
  'release',
  'source-secret',
  'dockerfile',
  'repo-config-file',
  'user',
  'component',
  'target',
  'build-image',
  'build-imagestream',
  'build-config-name',
  'registry-uri',
  'registry-secret',
  'registry-api-versions',
  'source-registry-uri',
  'pulp-registry-name',
  'pulp-secret',
  'pulp-sync-registry-name',
  'pulp-sync-secret',
  'builder-openshift-url',
  'build-json-dir',
  'koji-hub',
  'koji-root',
  'koji-certs-secret',
  'koji-kerberos-principal',
  'koji-kerberos-keytab',
  'koji-web-url',
  'yum-repourls',
  'squash',
  'rpm-packages',
  'smtp-host',
  'smtp-from',
  'smtp-additional-addresses',
  'smtp-error-addresses',
  'smtp-email-domain',
  'smtp-to-submitter',
  'smtp-to-pkgowner',
  'smtp-send-on',
  'on-running-build',
  'follow-logs',
  'wait',
  'timeout-minutes',
  'dry-run',
  'github-token',
  'commit-status'
] as const

export type InputName = (typeof INPUT_NAMES)[number]
export type RawInputs = Partial<Record<InputName, string>>

/** What the GitHub run says about itself (the runner's GITHUB_* variables and event file: github-context.ts). */
export interface GithubContext {
  ref?: string
  sha?: string
  /** `owner/name` */
  repository?: string
  serverUrl?: string
  /** GITHUB_API_URL: GitHub's REST API of this run (GitHub Enterprise Server has its own). */
  apiUrl?: string
  runId?: number
  actor?: string
  eventName?: string
  payload?: Record<string, any>
}

/** The local environment: variables and file access (reading a local file is not a network request). */
export interface Environment {
  env: Record<string, string | undefined>
  homedir: string
  cwd: string
  /** File content, or null when there is no such file. */
  readFile(file: string): string | null
  /** A file of the checkout, its real path inside the workspace (see workspace-files.ts); default: readFile. */
  readCheckout?(workspace: string, file: string, input: string): CheckoutRead
}
