/**
 * The one typed settings object the action works from. `inputs/parse.ts` turns the workflow inputs (and the GitHub
 * context) into a `Settings`; nothing after that reads an input or an environment variable of the runner.
 */

export type RegistryVersion = 'v1' | 'v2'
export type OnRunningBuild = 'wait' | 'fail' | 'cancel'
/** osbs-client's kinds of build: a branch's BuildConfig, or a Build posted directly (scratch, isolated). */
export type BuildKind = 'branch' | 'scratch' | 'isolated'

/** The pull request of a `pull_request` / `pull_request_target` run, from its event payload. */
export interface PullRequestSettings {
  number: number
  event: 'pull_request' | 'pull_request_target'
  /** The head branch, commit and repository's clone URL (the commit a scratch build builds). */
  headRef?: string
  headSha?: string
  headCloneUrl?: string
  /** `owner/name` of the head repository when it is not the base repository. */
  fork?: string
}

/** One entry of `registry-uri`, paired with its `registry-secret` by position (SPEC §2, §5.2). */
export interface RegistrySettings {
  /** The URI as the user wrote it (trimmed). */
  uri: string
  /** `http`/`https` when the URI names one, else undefined. */
  scheme?: 'http' | 'https'
  /** `host[:port]`: the key atomic-reactor uses in `tag_and_push`. */
  host: string
  /** The URI without the version suffix, scheme kept (what `pulp_sync` gets as `docker_registry`). */
  base: string
  version: RegistryVersion
  /** false when the URI had no `/v1`/`/v2` suffix (the version then defaults to v1, and a notice says so). */
  versionExplicit: boolean
  /** true unless the URI says `https://`. */
  insecure: boolean
  /** OpenShift secret name from `registry-secret`. */
  secret?: string
}

/** osbs-client's `smtp_*` settings: the sendmail plugin's arguments. */
export interface SmtpSettings {
  host: string
  from: string
  /** Build states a message is sent on (atomic-reactor's SendMailPlugin.allowed_states). */
  sendOn: string[]
  additionalAddresses: string[]
  errorAddresses: string[]
  emailDomain?: string
  toSubmitter: boolean
  toPkgowner: boolean
}

export interface PulpSettings {
  registryName: string
  secret?: string
}

/** How to reach the cluster. Resolved without any network request. */
export interface ConnectionSettings {
  server?: string
  /** Bearer token; masked as soon as it is read. */
  token?: string
  /** kubeconfig: a path or inline YAML (when no token is given); `text`: the file as it was read and checked. */
  kubeconfig?: { path?: string; inline?: string; text?: string }
  oidcAudience?: string
  /** PEM text of the CA bundle (read from the file when the input is a path). */
  certificateAuthority?: string
  insecureSkipTlsVerify: boolean
}

/** What the GitHub run tells about itself; used for the BuildRequest, annotations and the summary. */
export interface RunContext {
  /** `owner/name` */
  repository: string
  serverUrl: string
  /** URL of the workflow run, when known. */
  runUrl?: string
  actor?: string
  eventName?: string
  /** From the push event's head commit, when the event has one. */
  headCommit?: {
    message?: string
    author?: { name?: string; email?: string }
    committer?: { name?: string; email?: string }
  }
}

/** Where the build's commit status goes (`github-token`, `commit-status`): set when a status is to be sent. */
export interface CommitStatusSettings {
  /** GitHub's REST API (GITHUB_API_URL), without a trailing slash. */
  apiUrl: string
  /** The token (masked as soon as it is read). */
  token: string
  /** `owner/name` of the repository the status goes to. */
  repository: string
  /** The commit: the pull request's head for a pull request event, else GITHUB_SHA. */
  sha: string
  /** The pull request's number, when the run is for one. */
  pullRequest?: number
  /** The pull request comes from a fork (its head repository is another one). */
  fromFork?: boolean
}

export interface Settings {
  /** branch (a BuildConfig), scratch or isolated (a Build posted directly). */
  kind: BuildKind
  /** The release of an isolated build (ISOLATED_RELEASE_FORMAT). */
  release?: string
  pullRequest?: PullRequestSettings
  connection: ConnectionSettings
  /** Required: from the input, or the kubeconfig context's namespace. */
  namespace: string
  git: {
    uri: string
    branch: string
    /** 40 hex characters. */
    commit: string
  }
  /** OpenShift secret the build clones `git.uri` with (`spec.source.sourceSecret`): username and password, or ssh-privatekey. */
  sourceSecret?: string
  /** Absolute path of the checkout (`GITHUB_WORKSPACE`). */
  workspace: string
  /** Paths relative to the workspace, as given. */
  dockerfile: string
  repoConfigFile: string
  /** Image namespace (osbs `user`), lowercased owner by default. */
  user: string
  /** Explicit `component` input; otherwise the Dockerfile label, then the repository name. */
  component?: string
  target?: string
  builder: { kind: 'DockerImage' | 'ImageStreamTag'; name: string }
  buildConfigName?: string
  registries: RegistrySettings[]
  registryApiVersions: RegistryVersion[]
  sourceRegistry?: { uri: string; host: string; base: string; insecure: boolean }
  pulp?: PulpSettings
  pulpSync?: PulpSettings
  /** URL the plugins inside the build use for the OpenShift API (defaults to the server). */
  builderOpenshiftUrl?: string
  buildJsonDir: string
  kojiHub?: string
  /** osbs-client's kojiroot: where the koji plugin finds the target's yum repository (and sendmail its links). */
  kojiRoot?: string
  /** OpenShift secret with Koji's `cert`, `ca` and `serverca` (osbs-client's koji_certs_secret). */
  kojiCertsSecret?: string
  kojiKerberos?: { principal: string; keytab: string }
  /** Koji's web UI, for the link to the Koji build in the summary and the outputs. */
  kojiWebUrl?: string
  /** osbs-client's yum_repourls (`--add-yum-repo`): `.repo` file URLs add_yum_repo_by_url adds. */
  yumRepoUrls: string[]
  /** Whether the prepublish squash plugin is rendered (osbs-client's prod list has it). */
  squash: boolean
  /**
   * Whether all_rpm_packages is rendered (on in osbs-client's prod list, with no switch there): 1.6.26.3 runs
   * `/bin/rpm` in the built image and fails the build when the image has none.
   */
  rpmPackages: boolean
  smtp?: SmtpSettings
  onRunningBuild: OnRunningBuild
  followLogs: boolean
  wait: boolean
  timeoutMinutes: number
  dryRun: boolean
  run: RunContext
  /** The commit status of the build; none when commit-status is false or github-token is empty. */
  commitStatus?: CommitStatusSettings
}
