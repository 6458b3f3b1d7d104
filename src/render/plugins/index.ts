/**
 * SPEC §5.2 and §5.3: the `ATOMIC_REACTOR_PLUGINS` plugin list and the secrets it mounts, as osbs-client 0.43's
 * BuildRequest.render() makes a prod build's (its prod_inner.json, in its order): one file per phase of
 * atomic-reactor, and one per group of plugins (koji.ts, yum.ts, sendmail.ts). No buildstep plugin is written (the
 * build step is atomic-reactor's default, docker_api). Pure: everything comes from the Settings and what was read
 * from the checkout.
 */
import type { Problem } from '../../shared/errors.js'
import type { Settings } from '../../settings.js'
import { VERSION } from '../../shared/version.js'
import type { AtomicReactorPlugins, SecretUse } from '../types.js'
import { exitPlugins } from './exit.js'
import { postbuildPlugins } from './postbuild.js'
import { kojiWarnings } from './koji.js'
import { prebuildPlugins, type PrebuildContext } from './prebuild.js'
import { prepublishPlugins } from './prepublish.js'
import { SecretMounts } from './secrets.js'
import { sendmailWarnings } from './sendmail.js'

export { SECRETS_PATH, secretMountPath } from './secrets.js'

/** Version string written as `client_version`. */
export const CLIENT_VERSION = VERSION

export interface PluginContext extends PrebuildContext {
  /** URL of the OpenShift API the plugins use. */
  url: string
}

export interface RenderedPlugins {
  plugins: AtomicReactorPlugins
  secrets: SecretUse[]
  problems: Problem[]
  warnings: string[]
}

export function renderPlugins(settings: Settings, context: PluginContext): RenderedPlugins {
  const secrets = new SecretMounts()
  const verifySsl = !settings.connection.insecureSkipTlsVerify
  const apiArgs = { url: context.url, verify_ssl: verifySsl, use_auth: true }
  const prebuild = prebuildPlugins(settings, context, apiArgs, secrets)
  const prepublish = prepublishPlugins(settings, context.baseImage)
  const postbuild = postbuildPlugins(settings, secrets, prepublish.length > 0)
  const exit = exitPlugins(settings, postbuild.synced, secrets, apiArgs)
  return {
    plugins: {
      client_version: CLIENT_VERSION,
      prebuild_plugins: prebuild,
      prepublish_plugins: prepublish,
      postbuild_plugins: postbuild.plugins,
      exit_plugins: exit
    },
    secrets: secrets.list(),
    problems: postbuild.problems,
    warnings: [...postbuild.warnings, ...kojiWarnings(settings), ...sendmailWarnings(settings)]
  }
}
