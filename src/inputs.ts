/**
 * The workflow inputs (SPEC §2) as one typed Settings object. `parseSettings` is pure (raw inputs, the GitHub
 * context and the environment in; Settings or every problem out); `readSettings` (action-inputs.ts, the edge) is
 * the only code that reads `@actions/core` inputs and the `@actions/github` context. Nothing here touches the
 * network or imports the GitHub toolkit.
 */
import os from 'node:os'
import { readFileSync, statSync } from 'node:fs'
import type { Problem } from './errors.js'
import { InputReader, parseBuilder, parseConnection, parseFlow, parseGit, parseImageNaming, parseNamespace, parsePluginSettings, parsePulp, parseRegistries, runContext } from './input-groups.js'
import { maskList } from './mask.js'
import type { Settings } from './settings.js'
import { readCheckoutFile, type CheckoutRead } from './workspace-files.js'
import { trimEndChar } from './linear-text.js'

export { DEFAULT_BUILD_IMAGE, DEFAULT_BUILD_JSON_DIR, DEFAULT_TIMEOUT_MINUTES, parseList } from './input-groups.js'

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
  { ok: true; settings: Settings; notices: string[]; /** values to mask (credentials found in a kubeconfig) */ secrets: string[] } | { ok: false; problems: Problem[]; secrets: string[] }

/**
 * Turns raw input values (as `core.getInput` returns them: trimmed, '' when unset), the GitHub context and the
 * environment into Settings, or the list of every problem found (each group of inputs by its parser, input-groups.ts).
 */
export function parseSettings(raw: RawInputs, context: GithubContext, environment: Environment): ParseResult {
  const r = new InputReader(raw, context, environment)
  const repository = context.repository ?? ''
  const owner = repository.split('/')[0] ?? ''
  const serverUrl = trimEndChar(context.serverUrl || 'https://github.com', '/')

  const conn = parseConnection(r)
  const { namespace, notice } = parseNamespace(r, conn)
  const git = parseGit(r, repository, serverUrl)
  const dockerfile = r.checkoutPath('dockerfile', 'Dockerfile')
  const repoConfigFile = r.checkoutPath('repo-config-file', '.osbs-repo-config')
  const { user, component, target } = parseImageNaming(r, owner)
  const { builder, buildConfigName } = parseBuilder(r)
  const { registries, registryApiVersions, sourceRegistry } = parseRegistries(r)
  const { pulp, pulpSync } = parsePulp(r)
  const { builderOpenshiftUrl, buildJsonDir, kojiHub } = parsePluginSettings(r)
  const flow = parseFlow(r)
  if (r.problems.length > 0) return { ok: false, problems: r.problems, secrets: maskList(r.secrets) }

  const settings: Settings = {
    connection: conn.connection,
    namespace,
    git,
    workspace: r.workspace,
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
    ...(builderOpenshiftUrl ? { builderOpenshiftUrl: trimEndChar(builderOpenshiftUrl, '/') } : {}),
    buildJsonDir,
    ...(kojiHub ? { kojiHub } : {}),
    ...flow,
    dryRun: conn.dryRun,
    run: runContext(r, repository, serverUrl)
  }
  return { ok: true, settings, notices: notice ? [notice] : [], secrets: maskList(r.secrets) }
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
