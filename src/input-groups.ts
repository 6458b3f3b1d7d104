/**
 * One small parser per group of the action's inputs, each reading its inputs through an InputReader (which
 * collects every problem and every value to mask), in the order the problems are reported: connection,
 * namespace, git, image naming, builder, registries, Pulp, plugin settings, flow. `parseSettings` (inputs.ts) puts
 * their results together.
 */
import path from 'node:path'
import { defaultKubeconfigFiles, SERVICE_ACCOUNT_DIR } from './cluster/kubeconfig.js'
import { invalidInput, q, type Problem } from './errors.js'
import { isImageReference } from './image-reference.js'
import type { Environment, GithubContext, InputName, RawInputs } from './inputs.js'
import { readKubeconfigText, tokenProblem } from './kubeconfig-text.js'
import { maskValues, urlCredentials, withoutUserInfo } from './mask.js'
import { isDns1123Label, isDns1123Subdomain, isImagePathComponent, repoNameFromGitUri } from './names.js'
import { parseRegistryUri, REGISTRY_URI_FORMAT } from './registry.js'
import { checkServerUrl, SERVER_URL_FORMAT, shownUrl } from './server-url.js'
import type { ConnectionSettings, OnRunningBuild, PulpSettings, RegistrySettings, RegistryVersion, RunContext, Settings } from './settings.js'
import { readInputFile } from './workspace-files.js'

export const DEFAULT_BUILD_IMAGE = 'buildroot:latest'
export const DEFAULT_BUILD_JSON_DIR = '/usr/share/osbs'
export const DEFAULT_TIMEOUT_MINUTES = 120
/** setTimeout's limit, in minutes. */
const MAX_TIMEOUT_MINUTES = 35791

const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']
const IMAGE_STREAM_TAG = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const TARGET = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,106}$/

/** The raw inputs of one run, read one by one: every problem and every value to mask is collected here. */
export class InputReader {
  readonly problems: Problem[] = []
  /** Values to mask before anything is printed. */
  readonly secrets: string[] = []
  /** The checkout (GITHUB_WORKSPACE). */
  readonly workspace: string

  constructor(
    readonly raw: RawInputs,
    readonly context: GithubContext,
    readonly environment: Environment
  ) {
    this.workspace = path.resolve(environment.env.GITHUB_WORKSPACE || environment.cwd)
  }

  get(name: InputName): string {
    return (this.raw[name] ?? '').trim()
  }

  optional(name: InputName): string | undefined {
    return this.get(name) || undefined
  }

  invalid(name: InputName, value: string, accepted: string): void {
    this.problems.push(invalidInput(name, value, accepted))
  }

  bool(name: InputName, fallback: boolean): boolean {
    const value = this.get(name)
    if (value === '') return fallback
    if (TRUE.includes(value)) return true
    if (FALSE.includes(value)) return false
    this.invalid(name, value, 'Accepted: true or false')
    return fallback
  }

  /** A path inside the checkout, normalized (`fallback` when the input is empty). */
  checkoutPath(name: InputName, fallback: string): string {
    const value = this.get(name) || fallback
    const normalized = path.posix.normalize(value.replace(/\\/g, '/'))
    if (path.posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
      this.invalid(name, value, 'Accepted: a path relative to the checkout (GITHUB_WORKSPACE), inside it')
      return value
    }
    return normalized
  }
}

/** Splits a list input on commas and/or newlines; items are trimmed; empty items are an error. */
export function parseList(input: string, value: string, problems: Problem[]): string[] {
  if (value.trim() === '') return []
  // A comma at the end of a line and the newline after it are one separator.
  const items = value
    .trim()
    .split(/,[ \t]*\r?\n|,|\r?\n/)
    .map((item) => item.trim())
  if (items.some((item) => item === '')) {
    problems.push({
      input,
      message: `Input ${input}: ${JSON.stringify(withoutUserInfo(value))} has an empty item. Accepted: items separated by commas and/or newlines, none empty`
    })
    return items.filter((item) => item !== '')
  }
  return items
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/** Whether a URL carries a password in its user info (`scheme://user:password@host`). */
function hasPassword(value: string): boolean {
  return urlCredentials(value).length > 0
}

/** A git branch name as `git check-ref-format --branch` accepts it (the parts that matter here). */
function isBranchName(value: string): boolean {
  return (
    value !== '' &&
    !/[\s~^:?*[\\\x00-\x1f\x7f]/.test(value) &&
    !value.includes('..') &&
    !value.includes('@{') &&
    !value.includes('//') &&
    !value.startsWith('/') &&
    !value.startsWith('-') &&
    !value.endsWith('/') &&
    !value.endsWith('.') &&
    !value.endsWith('.lock') &&
    value !== '@'
  )
}

/** The bearer token, masked at once with every URL's user info of every input. */
function readToken(r: InputReader): string | undefined {
  const token = r.optional('openshift-token')
  // Masked before anything is printed: the token (each line of it), every URL's user info, every kubeconfig credential.
  r.secrets.push(...(token ? maskValues(token) : []), ...Object.values(r.raw).flatMap((v) => urlCredentials(v ?? '')))
  if (token) {
    const why = tokenProblem(token)
    if (why) r.problems.push({ input: 'openshift-token', message: `Input openshift-token: ${why}. Accepted: a bearer token on one line, without spaces or control characters` })
  }
  return token
}

/** Whether this run sends requests: not a dry run (an invalid dry-run value: unknown, so no credential problems). */
function readMode(r: InputReader): { oidcAudience?: string; dryRun: boolean; needsCluster: boolean; insecureSkipTlsVerify: boolean } {
  const oidcAudience = r.optional('oidc-audience')
  const dryRunValue = r.get('dry-run')
  const dryRun = r.bool('dry-run', false)
  // With an invalid dry-run value it is unknown whether credentials are needed: report only that value.
  const needsCluster = !dryRun && (dryRunValue === '' || FALSE.includes(dryRunValue))
  const insecureSkipTlsVerify = r.bool('insecure-skip-tls-verify', false)
  return { oidcAudience, dryRun, needsCluster, insecureSkipTlsVerify }
}

/** The kubeconfig input, else (no token) the first default kubeconfig file: what it names, its credentials masked. */
function readKubeconfigInput(r: InputReader, token: string | undefined): { kubeconfig?: ConnectionSettings['kubeconfig']; kubeInfo: { namespace?: string; server?: string } } {
  let kubeconfig: ConnectionSettings['kubeconfig']
  let kubeInfo: { namespace?: string; server?: string } = {}
  /** Reads one kubeconfig's text: its credentials are masked even when it does not parse. */
  const takeKubeconfig = (text: string, where: string, found: ConnectionSettings['kubeconfig']): void => {
    const read = readKubeconfigText(text)
    r.secrets.push(...read.secrets)
    if (read.ok) {
      kubeInfo = read
      kubeconfig = found
    } else r.problems.push({ input: 'kubeconfig', message: `Input kubeconfig: ${where} cannot be read as a kubeconfig (${read.reason}). Accepted: a kubeconfig file path or YAML` })
  }
  const kubeconfigInput = r.get('kubeconfig')
  if (kubeconfigInput !== '') {
    const inline = kubeconfigInput.includes('\n') || /^(apiVersion|kind|clusters|contexts|current-context|users)\s*:/m.test(kubeconfigInput) || kubeconfigInput.startsWith('{')
    if (inline) takeKubeconfig(kubeconfigInput, 'the inline kubeconfig', { inline: kubeconfigInput })
    else {
      const file = readInputFile(r.environment, r.workspace, kubeconfigInput, 'kubeconfig')
      if ('problem' in file) r.problems.push({ input: 'kubeconfig', message: file.problem })
      else if ('missing' in file) r.invalid('kubeconfig', kubeconfigInput, 'Accepted: the path of an existing kubeconfig file, or the kubeconfig YAML itself')
      else takeKubeconfig(file.text, q(kubeconfigInput), { path: path.resolve(r.workspace, kubeconfigInput), text: file.text })
    }
  } else if (!token) {
    const candidates = defaultKubeconfigFiles(r.environment.env, r.environment.homedir)
    for (const candidate of candidates) {
      const text = r.environment.readFile(candidate)
      if (text === null) continue
      takeKubeconfig(text, `not set, and the default kubeconfig ${candidate}`, { path: candidate, text })
      break
    }
  }
  return { kubeconfig, kubeInfo }
}

export interface ConnectionRead {
  connection: ConnectionSettings
  dryRun: boolean
  /** What the kubeconfig's current context names. */
  kubeInfo: { namespace?: string; server?: string }
  inCluster: boolean
}

/** SPEC §2, §6.1: the API server, the credentials, the CA; a dry run needs none of them. */
export function parseConnection(r: InputReader): ConnectionRead {
  const token = readToken(r)
  const { oidcAudience, dryRun, needsCluster, insecureSkipTlsVerify } = readMode(r)
  const { kubeconfig, kubeInfo } = readKubeconfigInput(r, token)
  // A kubeconfig that was given but refused is the one problem to fix: no "no credentials" besides it.
  const kubeconfigRefused = (): boolean => r.problems.some((p) => p.input === 'kubeconfig')
  const inCluster = Boolean(r.environment.env.KUBERNETES_SERVICE_HOST)
  const serverInput = r.get('openshift-server')
  let server: string | undefined
  if (serverInput !== '') {
    const checked = checkServerUrl(serverInput)
    if ('url' in checked) server = checked.url
    else r.problems.push({ input: 'openshift-server', message: `Input openshift-server: ${q(shownUrl(serverInput))} is not valid: ${checked.reason}. Accepted: ${SERVER_URL_FORMAT}` })
  } else if (kubeInfo.server) {
    server = kubeInfo.server
  } else if (needsCluster && !inCluster && !kubeconfigRefused()) {
    r.problems.push({
      input: 'openshift-server',
      message:
        'Input openshift-server: (empty) is not valid: no kubeconfig names a server either. Accepted: the API server URL, https://host:port, or a kubeconfig (input kubeconfig, $KUBECONFIG, ~/.kube/config)'
    })
  }
  if (needsCluster && !token && !oidcAudience && !kubeconfig && !inCluster && !kubeconfigRefused()) {
    r.problems.push({
      input: 'openshift-token',
      message: 'Input openshift-token: (empty) is not valid: no credentials are given. Accepted: a bearer token, or oidc-audience, or a kubeconfig (input kubeconfig, $KUBECONFIG, ~/.kube/config)'
    })
  }
  if (token && oidcAudience) {
    r.problems.push({ input: 'oidc-audience', message: `Inputs openshift-token and oidc-audience (${q(oidcAudience)}) are both set. Accepted: only one of them` })
  }
  const certificateAuthority = readCertificateAuthority(r, insecureSkipTlsVerify)
  const connection: ConnectionSettings = {
    ...(server ? { server } : {}),
    ...(token ? { token } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(oidcAudience ? { oidcAudience } : {}),
    ...(certificateAuthority ? { certificateAuthority } : {}),
    insecureSkipTlsVerify
  }
  return { connection, dryRun, kubeInfo, inCluster }
}

/** certificate-authority: PEM text or a file in the checkout; not together with insecure-skip-tls-verify. */
function readCertificateAuthority(r: InputReader, insecureSkipTlsVerify: boolean): string | undefined {
  let certificateAuthority: string | undefined
  const caInput = r.get('certificate-authority')
  if (caInput !== '') {
    const file = caInput.includes('-----BEGIN') ? { text: caInput } : readInputFile(r.environment, r.workspace, caInput, 'certificate-authority')
    const pem = 'text' in file ? file.text : null
    if ('problem' in file) r.problems.push({ input: 'certificate-authority', message: file.problem })
    else if (pem === null) r.invalid('certificate-authority', caInput, 'Accepted: PEM text, or the path of an existing PEM file')
    else if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      r.invalid('certificate-authority', caInput.includes('-----BEGIN') ? '(PEM text)' : caInput, 'Accepted: PEM text with at least one -----BEGIN CERTIFICATE----- block, or the path of such a file')
    else certificateAuthority = pem
  }
  if (insecureSkipTlsVerify && certificateAuthority) {
    r.problems.push({ input: 'insecure-skip-tls-verify', message: 'Inputs insecure-skip-tls-verify and certificate-authority: both set; set only one of them' })
  }
  return certificateAuthority
}

/** The namespace: the input, else the kubeconfig context's, else (credentials of the pod's service account) the pod's. */
export function parseNamespace(r: InputReader, conn: ConnectionRead): { namespace: string; notice?: string } {
  const namespaceInput = r.get('namespace')
  const serviceAccountNamespace =
    conn.inCluster && !conn.connection.token && !conn.connection.oidcAudience && !conn.connection.kubeconfig
      ? r.environment.readFile(path.posix.join(SERVICE_ACCOUNT_DIR, 'namespace'))?.trim() || undefined
      : undefined
  const namespace = namespaceInput || conn.kubeInfo.namespace || serviceAccountNamespace || ''
  if (namespace === '') {
    r.problems.push({
      input: 'namespace',
      message: 'Input namespace: (empty) is not valid, and no kubeconfig context names a namespace. Accepted: the OpenShift project (a DNS-1123 label: lowercase letters, digits and -, at most 63)'
    })
  } else if (!isDns1123Label(namespace)) {
    r.invalid('namespace', namespace, 'Accepted: a DNS-1123 label: lowercase letters, digits and -, starting and ending with a letter or digit, at most 63 characters')
  }

  let notice: string | undefined
  if (!namespaceInput && conn.kubeInfo.namespace) notice = `namespace: ${namespace}, from the kubeconfig's current context`
  else if (!namespaceInput && serviceAccountNamespace) notice = `namespace: ${namespace}, the namespace of this pod's service account`
  return { namespace, notice }
}

/** git-uri (default: this repository), git-branch (default: GITHUB_REF's branch), git-commit (default: GITHUB_SHA). */
export function parseGit(r: InputReader, repository: string, serverUrl: string): Settings['git'] {
  const gitUriInput = r.get('git-uri')
  let gitUri = gitUriInput
  if (gitUri === '') {
    if (repository === '') {
      r.problems.push({ input: 'git-uri', message: 'Input git-uri: (empty) is not valid, and GITHUB_REPOSITORY is not set to derive it. Accepted: a git URI' })
    } else gitUri = `${serverUrl}/${repository}.git`
  } else if (hasPassword(gitUri)) {
    r.invalid('git-uri', shownUrl(gitUri), 'Accepted: a git URI without a password (user:password@ is written into the BuildConfig for everyone to read); give the build a source secret instead')
  } else if (/\s/.test(gitUri) || repoNameFromGitUri(gitUri) === '') {
    r.invalid('git-uri', gitUri, 'Accepted: a git URI naming a repository, e.g. https://github.com/owner/repo.git')
  }
  let branch = r.get('git-branch')
  if (branch === '') {
    const ref = r.context.ref ?? ''
    if (ref.startsWith('refs/heads/')) branch = ref.slice('refs/heads/'.length)
    else
      r.problems.push({
        input: 'git-branch',
        message: `Input git-branch: (empty) is not valid, and GITHUB_REF ${q(ref)} is not a branch (refs/heads/…). Accepted: the branch the BuildConfig builds; set git-branch when running on a tag or a pull request`
      })
  } else if (!isBranchName(branch)) {
    r.invalid('git-branch', branch, 'Accepted: a git branch name (no spaces, no ~ ^ : ? * [ \\, no "..")')
  }
  const commitInput = r.get('git-commit') || r.context.sha || ''
  if (!/^[0-9a-fA-F]{40}$/.test(commitInput)) {
    r.problems.push({
      input: 'git-commit',
      message: `Input git-commit: ${q(commitInput)}${r.get('git-commit') ? '' : ' (from GITHUB_SHA)'} is not valid. Accepted: a full 40-hex commit id`
    })
  }
  return { uri: gitUri, branch, commit: commitInput.toLowerCase() }
}

/** user (default: the repository owner), component, target. */
export function parseImageNaming(r: InputReader, owner: string): { user: string; component?: string; target?: string } {
  const userInput = r.get('user')
  const user = userInput || owner.toLowerCase()
  if (user === '') {
    r.problems.push({ input: 'user', message: 'Input user: (empty) is not valid, and GITHUB_REPOSITORY is not set to derive it. Accepted: an image namespace' })
  } else if (!isImagePathComponent(user)) {
    r.invalid('user', user, 'Accepted: an image namespace: lowercase letters and digits, with . _ or - between them')
  }
  const component = r.optional('component')
  if (component && !isImagePathComponent(component)) {
    r.invalid('component', component, 'Accepted: an image name part: lowercase letters and digits, with . _ or - between them')
  }
  const target = r.optional('target')
  if (target && !TARGET.test(target)) {
    r.invalid('target', target, 'Accepted: letters, digits, _ . - (not starting with . or -), at most 107 characters')
  }
  return { user, component, target }
}

/** build-image or build-imagestream, and build-config-name. */
export function parseBuilder(r: InputReader): { builder: Settings['builder']; buildConfigName?: string } {
  const buildImage = r.optional('build-image')
  const buildImagestream = r.optional('build-imagestream')
  let builder: Settings['builder'] = { kind: 'DockerImage', name: DEFAULT_BUILD_IMAGE }
  if (buildImage && buildImagestream) {
    r.problems.push({
      input: 'build-image',
      message: `Inputs build-image (${q(buildImage)}) and build-imagestream (${q(buildImagestream)}) are both set. Accepted: only one of them`
    })
  } else if (buildImagestream) {
    if (!IMAGE_STREAM_TAG.test(buildImagestream)) r.invalid('build-imagestream', buildImagestream, 'Accepted: an ImageStreamTag name:tag')
    builder = { kind: 'ImageStreamTag', name: buildImagestream }
  } else if (buildImage) {
    if (!isImageReference(buildImage)) r.invalid('build-image', buildImage, 'Accepted: a docker image reference, e.g. registry.example.com/buildroot:latest')
    builder = { kind: 'DockerImage', name: buildImage }
  }
  const buildConfigName = r.optional('build-config-name')
  if (buildConfigName && !isDns1123Label(buildConfigName)) {
    r.invalid('build-config-name', buildConfigName, 'Accepted: a DNS-1123 label: lowercase letters, digits and -, at most 63 characters')
  }
  return { builder, buildConfigName }
}

/** SPEC §2, §5.2: registry-uri with registry-secret by position, registry-api-versions, source-registry-uri. */
export function parseRegistries(r: InputReader): { registries: RegistrySettings[]; registryApiVersions: RegistryVersion[]; sourceRegistry?: Settings['sourceRegistry'] } {
  const registries: RegistrySettings[] = []
  const registryUris = parseList('registry-uri', r.get('registry-uri'), r.problems)
  for (const uri of registryUris) {
    const parsed = parseRegistryUri(uri)
    if ('reason' in parsed) {
      r.problems.push({ input: 'registry-uri', message: `Input registry-uri: ${q(uri)} is not valid: ${parsed.reason}. Accepted: ${REGISTRY_URI_FORMAT}` })
      continue
    }
    const same = registries.find((r) => r.host === parsed.registry.host)
    if (same) {
      r.problems.push({
        input: 'registry-uri',
        message: `Input registry-uri: ${q(uri)} names host ${parsed.registry.host} again (also ${q(same.uri)}). Accepted: each registry host once`
      })
      continue
    }
    registries.push({ ...parsed.registry })
  }
  const registrySecrets = parseList('registry-secret', r.get('registry-secret'), r.problems)
  const registryCount = registryUris.length
  if (registrySecrets.length > registryCount) {
    r.problems.push({
      input: 'registry-secret',
      message: `Input registry-secret: ${registrySecrets.length} secrets (${registrySecrets.join(', ')}) for ${registryCount} ${registryCount === 1 ? 'registry' : 'registries'} in registry-uri. Accepted: at most one secret per registry-uri entry, paired by position`
    })
  }
  registrySecrets.forEach((secret, index) => {
    if (!isDns1123Subdomain(secret)) {
      r.invalid('registry-secret', secret, 'Accepted: OpenShift secret names (lowercase letters, digits, - and .)')
    } else if (index < registries.length) {
      registries[index].secret = secret
    }
  })
  const versionItems = parseList('registry-api-versions', r.get('registry-api-versions'), r.problems)
  const registryApiVersions: RegistryVersion[] = []
  for (const item of versionItems) {
    if (item !== 'v1' && item !== 'v2') r.invalid('registry-api-versions', item, 'Accepted: v1, v2, or both (v1,v2)')
    else if (!registryApiVersions.includes(item)) registryApiVersions.push(item)
  }
  if (versionItems.length === 0) registryApiVersions.push('v1', 'v2')
  registryApiVersions.sort()

  let sourceRegistry: Settings['sourceRegistry']
  const sourceInput = r.get('source-registry-uri')
  if (sourceInput !== '') {
    const parsed = parseRegistryUri(sourceInput)
    if ('reason' in parsed) {
      r.problems.push({
        input: 'source-registry-uri',
        message: `Input source-registry-uri: ${q(sourceInput)} is not valid: ${parsed.reason}. Accepted: ${REGISTRY_URI_FORMAT}`
      })
    } else {
      sourceRegistry = { uri: sourceInput, host: parsed.registry.host, base: parsed.registry.base, insecure: parsed.registry.insecure }
    }
  }
  return { registries, registryApiVersions, sourceRegistry }
}

/** The Pulp environments and their secrets (the sync ones default to the push ones). */
export function parsePulp(r: InputReader): { pulp?: PulpSettings; pulpSync?: PulpSettings } {
  const pulpName = r.optional('pulp-registry-name')
  const pulpSecret = r.optional('pulp-secret')
  const pulpSyncName = r.optional('pulp-sync-registry-name') ?? pulpName
  const pulpSyncSecret = r.optional('pulp-sync-secret') ?? pulpSecret
  for (const name of ['pulp-registry-name', 'pulp-sync-registry-name'] as const) {
    const value = r.get(name)
    if (value && !/^[A-Za-z0-9_.-]+$/.test(value)) r.invalid(name, value, 'Accepted: a Pulp environment name (letters, digits, _ . -)')
  }
  for (const name of ['pulp-secret', 'pulp-sync-secret'] as const) {
    const value = r.get(name)
    if (value && !isDns1123Subdomain(value)) r.invalid(name, value, 'Accepted: an OpenShift secret name (lowercase letters, digits, - and .)')
  }
  if (pulpSecret && !pulpName && !pulpSyncName) {
    r.problems.push({
      input: 'pulp-secret',
      message: `Input pulp-secret: ${q(pulpSecret)} is set but no pulp-registry-name or pulp-sync-registry-name names a Pulp r.environment. Accepted: a Pulp secret together with a Pulp environment`
    })
  }
  const pulp: PulpSettings | undefined = pulpName ? { registryName: pulpName, ...(pulpSecret ? { secret: pulpSecret } : {}) } : undefined
  const pulpSync: PulpSettings | undefined = pulpSyncName ? { registryName: pulpSyncName, ...(pulpSyncSecret ? { secret: pulpSyncSecret } : {}) } : undefined
  return { pulp, pulpSync }
}

/** What the plugins inside the build are given: builder-openshift-url, koji-hub; and the deprecated build-json-dir. */
export function parsePluginSettings(r: InputReader): { builderOpenshiftUrl?: string; buildJsonDir: string; kojiHub?: string } {
  const builderOpenshiftUrl = r.optional('builder-openshift-url')
  if (builderOpenshiftUrl) {
    const checked = checkServerUrl(builderOpenshiftUrl, { allowPath: true })
    if ('reason' in checked)
      r.problems.push({
        input: 'builder-openshift-url',
        message: `Input builder-openshift-url: ${q(shownUrl(builderOpenshiftUrl))} is not valid: ${checked.reason}. Accepted: an http(s) URL of the OpenShift API, without user info`
      })
  }
  // Unused and deprecated (it fed import_image, no longer rendered): accepted as it is, and warned about when set.
  const buildJsonDir = r.get('build-json-dir') || DEFAULT_BUILD_JSON_DIR
  const kojiHub = r.optional('koji-hub')
  if (kojiHub && (!isHttpUrl(kojiHub) || hasPassword(kojiHub)))
    r.invalid('koji-hub', shownUrl(kojiHub), 'Accepted: an http(s) URL of the Koji hub, without user:password@ (it is written into the BuildConfig)')
  return { builderOpenshiftUrl, buildJsonDir, kojiHub }
}

/** on-running-build, follow-logs, wait, timeout-minutes. */
export function parseFlow(r: InputReader): { onRunningBuild: OnRunningBuild; followLogs: boolean; wait: boolean; timeoutMinutes: number } {
  const onRunningBuild = (r.get('on-running-build') || 'wait') as OnRunningBuild
  if (!['wait', 'fail', 'cancel'].includes(onRunningBuild)) r.invalid('on-running-build', onRunningBuild, 'Accepted: wait, fail or cancel')
  const followLogs = r.bool('follow-logs', true)
  const wait = r.bool('wait', true)
  const timeoutInput = r.get('timeout-minutes')
  let timeoutMinutes = DEFAULT_TIMEOUT_MINUTES
  if (timeoutInput !== '') {
    if (/^[0-9]+$/.test(timeoutInput) && Number(timeoutInput) >= 1 && Number(timeoutInput) <= MAX_TIMEOUT_MINUTES) timeoutMinutes = Number(timeoutInput)
    else r.invalid('timeout-minutes', timeoutInput, `Accepted: a whole number of minutes from 1 to ${MAX_TIMEOUT_MINUTES}`)
  }
  return { onRunningBuild, followLogs, wait, timeoutMinutes }
}

/** What the run knows about itself, for the BuildRequest and the summary. */
export function runContext(r: InputReader, repository: string, serverUrl: string): RunContext {
  const headCommit = r.context.payload?.head_commit
  const run: RunContext = {
    repository,
    serverUrl,
    ...(repository && r.context.runId ? { runUrl: `${serverUrl}/${repository}/actions/runs/${r.context.runId}` } : {}),
    ...(r.context.actor ? { actor: r.context.actor } : {}),
    ...(r.context.eventName ? { eventName: r.context.eventName } : {}),
    ...(headCommit
      ? {
          headCommit: {
            message: headCommit.message,
            author: headCommit.author ? { name: headCommit.author.name, email: headCommit.author.email } : undefined,
            committer: headCommit.committer ? { name: headCommit.committer.name, email: headCommit.committer.email } : undefined
          }
        }
      : {})
  }
  return run
}
