/**
 * SPEC §5.2 and §5.3: the `ATOMIC_REACTOR_PLUGINS` plugin list and the secrets it mounts, one file per phase of
 * atomic-reactor (no buildstep or prepublish plugin is written). Pure: everything comes from the Settings and what
 * was read from the checkout.
 */
import type { Problem } from '../../shared/errors.js'
import type { Settings } from '../../settings.js'
import { VERSION } from '../../shared/version.js'
import type { AtomicReactorPlugins, SecretUse } from '../types.js'
import { exitPlugins } from './exit.js'
import { postbuildPlugins } from './postbuild.js'
import { prebuildPlugins, type PrebuildContext } from './prebuild.js'
import { SecretMounts } from './secrets.js'

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
  const prebuild = prebuildPlugins(settings, context, apiArgs)
  const postbuild = postbuildPlugins(settings, secrets)
  const exit = exitPlugins(settings, postbuild.synced, secrets, apiArgs)
  return {
    plugins: {
      client_version: CLIENT_VERSION,
      prebuild_plugins: prebuild,
      prepublish_plugins: [],
      postbuild_plugins: postbuild.plugins,
      exit_plugins: exit
    },
    secrets: secrets.list(),
    problems: postbuild.problems,
    warnings: postbuild.warnings
  }
}
