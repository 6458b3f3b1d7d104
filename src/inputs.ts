/**
 * The workflow inputs (SPEC §2) as one typed Settings object. `parseSettings` is pure (raw inputs, the GitHub
 * context and the environment in; Settings or every problem out); `readSettings` (action-inputs.ts, the edge) is
 * the only code that reads `@actions/core` inputs and the `@actions/github` context. Nothing here touches the
 * network or imports the GitHub toolkit.
 */
import os from 'node:os'
import path from 'node:path'
import { readFileSync, statSync } from 'node:fs'
import { defaultKubeconfigFiles, SERVICE_ACCOUNT_DIR } from './cluster/kubeconfig.js'
import type { ConnectionSettings, OnRunningBuild, PulpSettings, RegistrySettings, RegistryVersion, RunContext, Settings } from './settings.js'
import { invalidInput, q, type Problem } from './errors.js'
import { parseRegistryUri, REGISTRY_URI_FORMAT } from './registry.js'
import { isDns1123Label, isDns1123Subdomain, isImagePathComponent, repoNameFromGitUri } from './names.js'
import { isImageReference } from './image-reference.js'
import { readKubeconfigText, tokenProblem } from './kubeconfig.js'
import { maskList, maskValues, urlCredentials, withoutUserInfo } from './mask.js'
import { checkServerUrl, SERVER_URL_FORMAT, shownUrl } from './server-url.js'
import { readCheckoutFile, readInputFile, type CheckoutRead } from './workspace-files.js'

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
  'on-running-build',
  'follow-logs',
  'wait',
  'timeout-minutes',
  'dry-run'
] as const

export type InputName = (typeof INPUT_NAMES)[number]
export type RawInputs = Partial<Record<InputName, string>>

/** What the GitHub run says about itself (from `@actions/github`'s context). */
export interface GithubContext {
  ref?: string
  sha?: string
  /** `owner/name` */
  repository?: string
  serverUrl?: string
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

export type ParseResult =
  | { ok: true; settings: Settings; notices: string[]; /** values to mask (credentials found in a kubeconfig) */ secrets: string[] }
  | { ok: false; problems: Problem[]; secrets: string[] }

export const DEFAULT_BUILD_IMAGE = 'buildroot:latest'
export const DEFAULT_BUILD_JSON_DIR = '/usr/share/osbs'
export const DEFAULT_TIMEOUT_MINUTES = 120
/** setTimeout's limit, in minutes. */
const MAX_TIMEOUT_MINUTES = 35791

const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']
const IMAGE_STREAM_TAG = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const TARGET = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,106}$/

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

/**
 * Turns raw input values (as `core.getInput` returns them: trimmed, '' when unset), the GitHub context and the
 * environment into Settings, or the list of every problem found.
 */
export function parseSettings(raw: RawInputs, context: GithubContext, environment: Environment): ParseResult {
  const problems: Problem[] = []
  const notices: string[] = []
  const get = (name: InputName): string => (raw[name] ?? '').trim()
  const optional = (name: InputName): string | undefined => get(name) || undefined
  const invalid = (name: InputName, value: string, accepted: string) => problems.push(invalidInput(name, value, accepted))
  const bool = (name: InputName, fallback: boolean): boolean => {
    const value = get(name)
    if (value === '') return fallback
    if (TRUE.includes(value)) return true
    if (FALSE.includes(value)) return false
    invalid(name, value, 'Accepted: true or false')
    return fallback
  }
  const workspace = path.resolve(environment.env.GITHUB_WORKSPACE || environment.cwd)
  const checkoutPath = (name: InputName, fallback: string): string => {
    const value = get(name) || fallback
    const normalized = path.posix.normalize(value.replace(/\\/g, '/'))
    if (path.posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
      invalid(name, value, 'Accepted: a path relative to the checkout (GITHUB_WORKSPACE), inside it')
      return value
    }
    return normalized
  }

  // Repository context.
  const repository = context.repository ?? ''
  const owner = repository.split('/')[0] ?? ''
  const serverUrl = (context.serverUrl || 'https://github.com').replace(/\/+$/, '')

  // Connection (SPEC §2, §6.1).
  const token = optional('openshift-token')
  // Masked before anything is printed: the token (each line of it), every URL's user info, every kubeconfig credential.
  const secrets: string[] = [...(token ? maskValues(token) : []), ...Object.values(raw).flatMap((v) => urlCredentials(v ?? ''))]
  if (token) {
    const why = tokenProblem(token)
    if (why) problems.push({ input: 'openshift-token', message: `Input openshift-token: ${why}. Accepted: a bearer token on one line, without spaces or control characters` })
  }
  const oidcAudience = optional('oidc-audience')
  const dryRunValue = get('dry-run')
  const dryRun = bool('dry-run', false)
  // With an invalid dry-run value it is unknown whether credentials are needed: report only that value.
  const needsCluster = !dryRun && (dryRunValue === '' || FALSE.includes(dryRunValue))
  const insecureSkipTlsVerify = bool('insecure-skip-tls-verify', false)
  let kubeconfig: ConnectionSettings['kubeconfig']
  let kubeInfo: { namespace?: string; server?: string } = {}
  /** Reads one kubeconfig's text: its credentials are masked even when it does not parse. */
  const takeKubeconfig = (text: string, where: string, found: ConnectionSettings['kubeconfig']): void => {
    const read = readKubeconfigText(text)
    secrets.push(...read.secrets)
    if (read.ok) {
      kubeInfo = read
      kubeconfig = found
    } else problems.push({ input: 'kubeconfig', message: `Input kubeconfig: ${where} cannot be read as a kubeconfig (${read.reason}). Accepted: a kubeconfig file path or YAML` })
  }
  const kubeconfigInput = get('kubeconfig')
  if (kubeconfigInput !== '') {
    const inline = kubeconfigInput.includes('\n') || /^(apiVersion|kind|clusters|contexts|current-context|users)\s*:/m.test(kubeconfigInput) || kubeconfigInput.startsWith('{')
    if (inline) takeKubeconfig(kubeconfigInput, 'the inline kubeconfig', { inline: kubeconfigInput })
    else {
      const file = readInputFile(environment, workspace, kubeconfigInput, 'kubeconfig')
      if ('problem' in file) problems.push({ input: 'kubeconfig', message: file.problem })
      else if ('missing' in file) invalid('kubeconfig', kubeconfigInput, 'Accepted: the path of an existing kubeconfig file, or the kubeconfig YAML itself')
      else takeKubeconfig(file.text, q(kubeconfigInput), { path: path.resolve(workspace, kubeconfigInput), text: file.text })
    }
  } else if (!token) {
    const candidates = defaultKubeconfigFiles(environment.env, environment.homedir)
    for (const candidate of candidates) {
      const text = environment.readFile(candidate)
      if (text === null) continue
      takeKubeconfig(text, `not set, and the default kubeconfig ${candidate}`, { path: candidate, text })
      break
    }
  }
  // A kubeconfig that was given but refused is the one problem to fix: no "no credentials" besides it.
  const kubeconfigRefused = (): boolean => problems.some((p) => p.input === 'kubeconfig')
  const inCluster = Boolean(environment.env.KUBERNETES_SERVICE_HOST)
  const serverInput = get('openshift-server')
  let server: string | undefined
  if (serverInput !== '') {
    const checked = checkServerUrl(serverInput)
    if ('url' in checked) server = checked.url
    else problems.push({ input: 'openshift-server', message: `Input openshift-server: ${q(shownUrl(serverInput))} is not valid: ${checked.reason}. Accepted: ${SERVER_URL_FORMAT}` })
  } else if (kubeInfo.server) {
    server = kubeInfo.server
  } else if (needsCluster && !inCluster && !kubeconfigRefused()) {
    problems.push({
      input: 'openshift-server',
      message: 'Input openshift-server: (empty) is not valid: no kubeconfig names a server either. Accepted: the API server URL, https://host:port, or a kubeconfig (input kubeconfig, $KUBECONFIG, ~/.kube/config)'
    })
  }
  if (needsCluster && !token && !oidcAudience && !kubeconfig && !inCluster && !kubeconfigRefused()) {
    problems.push({
      input: 'openshift-token',
      message: 'Input openshift-token: (empty) is not valid: no credentials are given. Accepted: a bearer token, or oidc-audience, or a kubeconfig (input kubeconfig, $KUBECONFIG, ~/.kube/config)'
    })
  }
  if (token && oidcAudience) {
    problems.push({ input: 'oidc-audience', message: `Inputs openshift-token and oidc-audience (${q(oidcAudience)}) are both set. Accepted: only one of them` })
  }
  let certificateAuthority: string | undefined
  const caInput = get('certificate-authority')
  if (caInput !== '') {
    const file = caInput.includes('-----BEGIN') ? { text: caInput } : readInputFile(environment, workspace, caInput, 'certificate-authority')
    const pem = 'text' in file ? file.text : null
    if ('problem' in file) problems.push({ input: 'certificate-authority', message: file.problem })
    else if (pem === null) invalid('certificate-authority', caInput, 'Accepted: PEM text, or the path of an existing PEM file')
    else if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      invalid('certificate-authority', caInput.includes('-----BEGIN') ? '(PEM text)' : caInput, 'Accepted: PEM text with at least one -----BEGIN CERTIFICATE----- block, or the path of such a file')
    else certificateAuthority = pem
  }
  if (insecureSkipTlsVerify && certificateAuthority) {
    problems.push({ input: 'insecure-skip-tls-verify', message: 'Inputs insecure-skip-tls-verify and certificate-authority: both set; set only one of them' })
  }

  // Namespace: the input, else the kubeconfig context's, else (credentials of the pod's service account) the pod's.
  const namespaceInput = get('namespace')
  const serviceAccountNamespace =
    inCluster && !token && !oidcAudience && !kubeconfig
      ? environment.readFile(path.posix.join(SERVICE_ACCOUNT_DIR, 'namespace'))?.trim() || undefined
      : undefined
  const namespace = namespaceInput || kubeInfo.namespace || serviceAccountNamespace || ''
  if (namespace === '') {
    problems.push({
      input: 'namespace',
      message: 'Input namespace: (empty) is not valid, and no kubeconfig context names a namespace. Accepted: the OpenShift project (a DNS-1123 label: lowercase letters, digits and -, at most 63)'
    })
  } else if (!isDns1123Label(namespace)) {
    invalid('namespace', namespace, 'Accepted: a DNS-1123 label: lowercase letters, digits and -, starting and ending with a letter or digit, at most 63 characters')
  }

  // Git.
  const gitUriInput = get('git-uri')
  let gitUri = gitUriInput
  if (gitUri === '') {
    if (repository === '') {
      problems.push({ input: 'git-uri', message: 'Input git-uri: (empty) is not valid, and GITHUB_REPOSITORY is not set to derive it. Accepted: a git URI' })
    } else gitUri = `${serverUrl}/${repository}.git`
  } else if (hasPassword(gitUri)) {
    invalid('git-uri', shownUrl(gitUri), 'Accepted: a git URI without a password (user:password@ is written into the BuildConfig for everyone to read); give the build a source secret instead')
  } else if (/\s/.test(gitUri) || repoNameFromGitUri(gitUri) === '') {
    invalid('git-uri', gitUri, 'Accepted: a git URI naming a repository, e.g. https://github.com/owner/repo.git')
  }
  let branch = get('git-branch')
  if (branch === '') {
    const ref = context.ref ?? ''
    if (ref.startsWith('refs/heads/')) branch = ref.slice('refs/heads/'.length)
    else
      problems.push({
        input: 'git-branch',
        message: `Input git-branch: (empty) is not valid, and GITHUB_REF ${q(ref)} is not a branch (refs/heads/…). Accepted: the branch the BuildConfig builds; set git-branch when running on a tag or a pull request`
      })
  } else if (!isBranchName(branch)) {
    invalid('git-branch', branch, 'Accepted: a git branch name (no spaces, no ~ ^ : ? * [ \\, no "..")')
  }
  const commitInput = get('git-commit') || context.sha || ''
  if (!/^[0-9a-fA-F]{40}$/.test(commitInput)) {
    problems.push({
      input: 'git-commit',
      message: `Input git-commit: ${q(commitInput)}${get('git-commit') ? '' : ' (from GITHUB_SHA)'} is not valid. Accepted: a full 40-hex commit id`
    })
  }

  // Paths in the checkout.
  const dockerfile = checkoutPath('dockerfile', 'Dockerfile')
  const repoConfigFile = checkoutPath('repo-config-file', '.osbs-repo-config')

  // Image naming.
  const userInput = get('user')
  const user = userInput || owner.toLowerCase()
  if (user === '') {
    problems.push({ input: 'user', message: 'Input user: (empty) is not valid, and GITHUB_REPOSITORY is not set to derive it. Accepted: an image namespace' })
  } else if (!isImagePathComponent(user)) {
    invalid('user', user, 'Accepted: an image namespace: lowercase letters and digits, with . _ or - between them')
  }
  const component = optional('component')
  if (component && !isImagePathComponent(component)) {
    invalid('component', component, 'Accepted: an image name part: lowercase letters and digits, with . _ or - between them')
  }
  const target = optional('target')
  if (target && !TARGET.test(target)) {
    invalid('target', target, 'Accepted: letters, digits, _ . - (not starting with . or -), at most 107 characters')
  }

  // Builder image.
  const buildImage = optional('build-image')
  const buildImagestream = optional('build-imagestream')
  let builder: Settings['builder'] = { kind: 'DockerImage', name: DEFAULT_BUILD_IMAGE }
  if (buildImage && buildImagestream) {
    problems.push({
      input: 'build-image',
      message: `Inputs build-image (${q(buildImage)}) and build-imagestream (${q(buildImagestream)}) are both set. Accepted: only one of them`
    })
  } else if (buildImagestream) {
    if (!IMAGE_STREAM_TAG.test(buildImagestream)) invalid('build-imagestream', buildImagestream, 'Accepted: an ImageStreamTag name:tag')
    builder = { kind: 'ImageStreamTag', name: buildImagestream }
  } else if (buildImage) {
    if (!isImageReference(buildImage)) invalid('build-image', buildImage, 'Accepted: a docker image reference, e.g. registry.example.com/buildroot:latest')
    builder = { kind: 'DockerImage', name: buildImage }
  }
  const buildConfigName = optional('build-config-name')
  if (buildConfigName && !isDns1123Label(buildConfigName)) {
    invalid('build-config-name', buildConfigName, 'Accepted: a DNS-1123 label: lowercase letters, digits and -, at most 63 characters')
  }

  // Registries (SPEC §2, §5.2).
  const registries: RegistrySettings[] = []
  const registryUris = parseList('registry-uri', get('registry-uri'), problems)
  for (const uri of registryUris) {
    const parsed = parseRegistryUri(uri)
    if ('reason' in parsed) {
      problems.push({ input: 'registry-uri', message: `Input registry-uri: ${q(uri)} is not valid: ${parsed.reason}. Accepted: ${REGISTRY_URI_FORMAT}` })
      continue
    }
    const same = registries.find((r) => r.host === parsed.registry.host)
    if (same) {
      problems.push({
        input: 'registry-uri',
        message: `Input registry-uri: ${q(uri)} names host ${parsed.registry.host} again (also ${q(same.uri)}). Accepted: each registry host once`
      })
      continue
    }
    registries.push({ ...parsed.registry })
  }
  const registrySecrets = parseList('registry-secret', get('registry-secret'), problems)
  const registryCount = registryUris.length
  if (registrySecrets.length > registryCount) {
    problems.push({
      input: 'registry-secret',
      message: `Input registry-secret: ${registrySecrets.length} secrets (${registrySecrets.join(', ')}) for ${registryCount} ${registryCount === 1 ? 'registry' : 'registries'} in registry-uri. Accepted: at most one secret per registry-uri entry, paired by position`
    })
  }
  registrySecrets.forEach((secret, index) => {
    if (!isDns1123Subdomain(secret)) {
      invalid('registry-secret', secret, 'Accepted: OpenShift secret names (lowercase letters, digits, - and .)')
    } else if (index < registries.length) {
      registries[index].secret = secret
    }
  })
  const versionItems = parseList('registry-api-versions', get('registry-api-versions'), problems)
  const registryApiVersions: RegistryVersion[] = []
  for (const item of versionItems) {
    if (item !== 'v1' && item !== 'v2') invalid('registry-api-versions', item, 'Accepted: v1, v2, or both (v1,v2)')
    else if (!registryApiVersions.includes(item)) registryApiVersions.push(item)
  }
  if (versionItems.length === 0) registryApiVersions.push('v1', 'v2')
  registryApiVersions.sort()

  let sourceRegistry: Settings['sourceRegistry']
  const sourceInput = get('source-registry-uri')
  if (sourceInput !== '') {
    const parsed = parseRegistryUri(sourceInput)
    if ('reason' in parsed) {
      problems.push({
        input: 'source-registry-uri',
        message: `Input source-registry-uri: ${q(sourceInput)} is not valid: ${parsed.reason}. Accepted: ${REGISTRY_URI_FORMAT}`
      })
    } else {
      sourceRegistry = { uri: sourceInput, host: parsed.registry.host, base: parsed.registry.base, insecure: parsed.registry.insecure }
    }
  }

  // Pulp.
  const pulpName = optional('pulp-registry-name')
  const pulpSecret = optional('pulp-secret')
  const pulpSyncName = optional('pulp-sync-registry-name') ?? pulpName
  const pulpSyncSecret = optional('pulp-sync-secret') ?? pulpSecret
  for (const name of ['pulp-registry-name', 'pulp-sync-registry-name'] as const) {
    const value = get(name)
    if (value && !/^[A-Za-z0-9_.-]+$/.test(value)) invalid(name, value, 'Accepted: a Pulp environment name (letters, digits, _ . -)')
  }
  for (const name of ['pulp-secret', 'pulp-sync-secret'] as const) {
    const value = get(name)
    if (value && !isDns1123Subdomain(value)) invalid(name, value, 'Accepted: an OpenShift secret name (lowercase letters, digits, - and .)')
  }
  if (pulpSecret && !pulpName && !pulpSyncName) {
    problems.push({
      input: 'pulp-secret',
      message: `Input pulp-secret: ${q(pulpSecret)} is set but no pulp-registry-name or pulp-sync-registry-name names a Pulp environment. Accepted: a Pulp secret together with a Pulp environment`
    })
  }
  const pulp: PulpSettings | undefined = pulpName ? { registryName: pulpName, ...(pulpSecret ? { secret: pulpSecret } : {}) } : undefined
  const pulpSync: PulpSettings | undefined = pulpSyncName
    ? { registryName: pulpSyncName, ...(pulpSyncSecret ? { secret: pulpSyncSecret } : {}) }
    : undefined

  // Plugin settings.
  const builderOpenshiftUrl = optional('builder-openshift-url')
  if (builderOpenshiftUrl) {
    const checked = checkServerUrl(builderOpenshiftUrl, { allowPath: true })
    if ('reason' in checked) problems.push({ input: 'builder-openshift-url', message: `Input builder-openshift-url: ${q(shownUrl(builderOpenshiftUrl))} is not valid: ${checked.reason}. Accepted: an http(s) URL of the OpenShift API, without user info` })
  }
  const buildJsonDir = get('build-json-dir') || DEFAULT_BUILD_JSON_DIR
  if (!buildJsonDir.startsWith('/')) invalid('build-json-dir', buildJsonDir, 'Accepted: an absolute directory path inside the builder image')
  const kojiHub = optional('koji-hub')
  if (kojiHub && (!isHttpUrl(kojiHub) || hasPassword(kojiHub)))
    invalid('koji-hub', shownUrl(kojiHub), 'Accepted: an http(s) URL of the Koji hub, without user:password@ (it is written into the BuildConfig)')

  // Flow.
  const onRunningBuild = (get('on-running-build') || 'wait') as OnRunningBuild
  if (!['wait', 'fail', 'cancel'].includes(onRunningBuild)) invalid('on-running-build', onRunningBuild, 'Accepted: wait, fail or cancel')
  const followLogs = bool('follow-logs', true)
  const wait = bool('wait', true)
  const timeoutInput = get('timeout-minutes')
  let timeoutMinutes = DEFAULT_TIMEOUT_MINUTES
  if (timeoutInput !== '') {
    if (/^[0-9]+$/.test(timeoutInput) && Number(timeoutInput) >= 1 && Number(timeoutInput) <= MAX_TIMEOUT_MINUTES) timeoutMinutes = Number(timeoutInput)
    else invalid('timeout-minutes', timeoutInput, `Accepted: a whole number of minutes from 1 to ${MAX_TIMEOUT_MINUTES}`)
  }

  if (problems.length > 0) return { ok: false, problems, secrets: maskList(secrets) }

  const headCommit = context.payload?.head_commit
  const run: RunContext = {
    repository,
    serverUrl,
    ...(repository && context.runId ? { runUrl: `${serverUrl}/${repository}/actions/runs/${context.runId}` } : {}),
    ...(context.actor ? { actor: context.actor } : {}),
    ...(context.eventName ? { eventName: context.eventName } : {}),
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

  const settings: Settings = {
    connection: {
      ...(server ? { server } : {}),
      ...(token ? { token } : {}),
      ...(kubeconfig ? { kubeconfig } : {}),
      ...(oidcAudience ? { oidcAudience } : {}),
      ...(certificateAuthority ? { certificateAuthority } : {}),
      insecureSkipTlsVerify
    },
    namespace,
    git: { uri: gitUri, branch, commit: commitInput.toLowerCase() },
    workspace,
    dockerfile,
    repoConfigFile,
    user,
    ...(component ? { component } : {}),
    ...(target ? { target } : {}),
    builder,
    ...(buildConfigName ? { buildConfigName } : {}),
    registries,
    registryApiVersions,
    ...(sourceRegistry ? { sourceRegistry } : {}),
    ...(pulp ? { pulp } : {}),
    ...(pulpSync ? { pulpSync } : {}),
    ...(builderOpenshiftUrl ? { builderOpenshiftUrl: builderOpenshiftUrl.replace(/\/+$/, '') } : {}),
    buildJsonDir,
    ...(kojiHub ? { kojiHub } : {}),
    onRunningBuild,
    followLogs,
    wait,
    timeoutMinutes,
    dryRun,
    run
  }
  if (!namespaceInput && kubeInfo.namespace) notices.push(`namespace: ${namespace}, from the kubeconfig's current context`)
  else if (!namespaceInput && serviceAccountNamespace) notices.push(`namespace: ${namespace}, the namespace of this pod's service account`)
  return { ok: true, settings, notices, secrets: maskList(secrets) }
}

/** The real environment of the process. */
export function processEnvironment(): Environment {
  return {
    env: process.env,
    homedir: os.homedir(),
    cwd: process.cwd(),
    readFile(file: string): string | null {
      try {
        if (!statSync(file).isFile()) return null
        return readFileSync(file, 'utf8')
      } catch {
        return null
      }
    },
    readCheckout: (workspace, file, input) => readCheckoutFile(workspace, file, input)
  }
}
