/**
 * The workflow inputs (SPEC §2) as one typed Settings object. `parseSettings` is pure (raw inputs, the GitHub
 * context and the environment in; Settings or every problem out); `readSettings` (action-inputs.ts, the edge) is
 * the only code that reads `@actions/core` inputs and the run's context. Nothing here touches the
 * network or imports the GitHub toolkit.
 */
import os from 'node:os'
import { readFileSync, statSync } from 'node:fs'
import type { Problem } from '../shared/errors.js'
import { maskList } from '../shared/mask.js'
import type { Settings } from '../settings.js'
import { readCheckoutFile } from '../checkout/workspace-files.js'
import { parseBuilder } from './builder.js'
import { parseCommitStatus } from './commit-status.js'
import { parseConnection, parseNamespace } from './connection.js'
import { parseFlow } from './flow.js'
import { parseImageContent } from './image-content.js'
import { parseKoji } from './koji.js'
import { parseImageNaming } from './naming.js'
import { parsePluginSettings } from './plugin-settings.js'
import type { Environment, GithubContext, RawInputs } from './raw.js'
import { InputReader } from './reader.js'
import { parsePulp, parseRegistries } from './registries.js'
import { parseSmtp } from './smtp.js'
import { parseGit, runContext } from './source.js'
import { parseSourceSecret } from './source-secret.js'
import { forkWithoutSecrets, parseBuildKind } from './build-kind.js'
import { trimEndChar } from '../shared/linear-text.js'

export type ParseResult =
  { ok: true; settings: Settings; notices: string[]; /** values to mask (credentials found in a kubeconfig) */ secrets: string[] } | { ok: false; problems: Problem[]; secrets: string[] }

/**
 * Turns raw input values (as `core.getInput` returns them: trimmed, '' when unset), the GitHub context and the
 * environment into Settings, or the list of every problem found (each group of inputs by its parser, one file of this folder each).
 */
export function parseSettings(raw: RawInputs, context: GithubContext, environment: Environment): ParseResult {
  const r = new InputReader(raw, context, environment)
  const repository = context.repository ?? ''
  const owner = repository.split('/')[0] ?? ''
  const serverUrl = trimEndChar(context.serverUrl || 'https://github.com', '/')

  const conn = parseConnection(r)
  const { namespace, notice } = parseNamespace(r, conn)
  const { kind, release, pullRequest } = parseBuildKind(r)
  const git = parseGit(r, repository, serverUrl, kind === 'scratch' ? pullRequest : undefined)
  const sourceSecret = parseSourceSecret(r)
  const dockerfile = r.checkoutPath('dockerfile', 'Dockerfile')
  const repoConfigFile = r.checkoutPath('repo-config-file', '.osbs-repo-config')
  const { user, component, target } = parseImageNaming(r, owner)
  const { builder, buildConfigName } = parseBuilder(r)
  const { registries, registryApiVersions, sourceRegistry } = parseRegistries(r)
  const { pulp, pulpSync } = parsePulp(r)
  const { builderOpenshiftUrl, buildJsonDir, kojiHub } = parsePluginSettings(r)
  const koji = parseKoji(r)
  const { yumRepoUrls, squash, rpmPackages } = parseImageContent(r)
  const { smtp } = parseSmtp(r)
  const flow = parseFlow(r)
  const fork = forkWithoutSecrets(pullRequest, r.problems)
  if (fork) return { ok: false, problems: [fork], secrets: maskList(r.secrets) }
  const commitStatus = parseCommitStatus(r, repository)
  if (r.problems.length > 0) return { ok: false, problems: r.problems, secrets: maskList(r.secrets) }

  const settings: Settings = {
    kind,
    ...(release ? { release } : {}),
    ...(pullRequest ? { pullRequest } : {}),
    connection: conn.connection,
    namespace,
    git,
    ...(sourceSecret ? { sourceSecret } : {}),
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
    ...koji,
    yumRepoUrls,
    squash,
    rpmPackages,
    ...(smtp ? { smtp } : {}),
    ...flow,
    dryRun: conn.dryRun,
    run: runContext(r, repository, serverUrl),
    ...(commitStatus ? { commitStatus } : {})
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
