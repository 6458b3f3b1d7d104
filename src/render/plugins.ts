/**
 * SPEC §5.2 and §5.3: the `ATOMIC_REACTOR_PLUGINS` plugin list and the secrets it mounts. Pure: everything comes
 * from the Settings and what was read from the checkout.
 */
import type { AtomicReactorPlugins, PluginEntry, SecretUse } from './types.js'
import type { RegistrySettings, Settings } from '../settings.js'
import type { Problem } from '../errors.js'
import { VERSION } from '../version.js'

/** Version string written as `client_version`. */
export const CLIENT_VERSION = VERSION

/** Where atomic-reactor finds mounted secrets. */
export const SECRETS_PATH = '/var/run/secrets/atomic-reactor'

export function secretMountPath(name: string): string {
  return `${SECRETS_PATH}/${name}`
}

export interface PluginContext {
  /** Whether the ImageChange trigger is written (SPEC §5.4). */
  trigger: boolean
  /**
   * Whether the repository's config file sets `[autorebuild] enabled` itself. atomic-reactor 1.6.26.3's
   * stop_autorebuild_if_disabled reads a missing file, section or key as disabled, where SPEC §3.1 (the OSBS design)
   * says enabled: the plugin is only written when the file says it, so that the action's default holds.
   */
  autorebuildSetInFile: boolean
  /** BL, null for `FROM scratch`. */
  baseImage: string | null
  /** URL of the OpenShift API the plugins use. */
  url: string
}

export interface RenderedPlugins {
  plugins: AtomicReactorPlugins
  secrets: SecretUse[]
  problems: Problem[]
  warnings: string[]
}

/** Secrets in the order they are first needed; each mounts once (the first use names the input). */
class SecretMounts {
  private readonly byName = new Map<string, SecretUse>()

  use(name: string, input: string): string {
    let use = this.byName.get(name)
    if (!use) {
      use = { name, input, mountPath: secretMountPath(name) }
      this.byName.set(name, use)
    }
    return use.mountPath
  }

  list(): SecretUse[] {
    return [...this.byName.values()]
  }
}

export function renderPlugins(settings: Settings, context: PluginContext): RenderedPlugins {
  const problems: Problem[] = []
  const warnings: string[] = []
  const secrets = new SecretMounts()
  const versions = settings.registryApiVersions
  const v1 = versions.includes('v1')
  const v2 = versions.includes('v2')
  const verifySsl = !settings.connection.insecureSkipTlsVerify
  const apiArgs = { url: context.url, verify_ssl: verifySsl, use_auth: true }

  // prebuild
  const prebuild: PluginEntry[] = []
  if (context.trigger) {
    prebuild.push({
      name: 'check_and_set_rebuild',
      args: { label_key: 'is_autorebuild', label_value: 'true', ...apiArgs }
    })
    if (context.autorebuildSetInFile) prebuild.push({ name: 'stop_autorebuild_if_disabled', args: { config_file: settings.repoConfigFile } })
  }
  if (context.baseImage !== null) {
    prebuild.push({
      name: 'pull_base_image',
      args: {
        parent_registry: settings.sourceRegistry?.host ?? null,
        parent_registry_insecure: settings.sourceRegistry?.insecure ?? false
      }
    })
  }
  // atomic-reactor 1.6.26.3's bump_release(hub, target=None, koji_ssl_certs_dir=None) asks a Koji hub for the
  // next release: without a hub it cannot run (the commit is pinned by the BuildRequest's SOURCE_REF instead).
  if (settings.kojiHub) prebuild.push({ name: 'bump_release', args: { hub: settings.kojiHub } })
  prebuild.push({ name: 'add_labels_in_dockerfile', args: { labels: {} } })

  // postbuild
  const postbuild: PluginEntry[] = [{ name: 'tag_by_labels' }]
  const registries: Record<string, { insecure: boolean; secret?: string }> = {}
  for (const registry of settings.registries) {
    if (!versions.includes(registry.version)) {
      warnings.push(`registry-uri: ${registry.uri} is a ${registry.version} registry but registry-api-versions is ${versions.join(',')}: nothing is pushed to it`)
      continue
    }
    registries[registry.host] = {
      insecure: registry.insecure,
      ...(registry.secret ? { secret: secrets.use(registry.secret, 'registry-secret') } : {})
    }
  }
  postbuild.push({ name: 'tag_and_push', args: { registries } })

  const missingSecrets = new Map<string, string[]>()
  const missingPulpSecret = (input: string, plugin: string) => {
    missingSecrets.set(input, [...(missingSecrets.get(input) ?? []), plugin])
  }
  const firstV2: RegistrySettings | undefined = settings.registries.find((r) => r.version === 'v2')
  const pushToPulp = v1 && settings.pulp !== undefined
  const syncToPulp = v2 && firstV2 !== undefined && settings.pulpSync !== undefined
  if (pushToPulp && settings.pulp) {
    if (!settings.pulp.secret) {
      missingPulpSecret('pulp-secret', `pulp_push (Pulp environment '${settings.pulp.registryName}')`)
    } else {
      postbuild.push({
        name: 'pulp_push',
        args: {
          pulp_registry_name: settings.pulp.registryName,
          pulp_secret_path: secrets.use(settings.pulp.secret, 'pulp-secret'),
          publish: !syncToPulp
        }
      })
    }
  }
  let synced: RegistrySettings | undefined
  if (syncToPulp && settings.pulpSync && firstV2) {
    if (!settings.pulpSync.secret) {
      // pulp-sync-secret defaults to pulp-secret: when both are missing, setting pulp-secret fixes both plugins.
      missingPulpSecret(settings.pulp ? 'pulp-secret' : 'pulp-sync-secret', `pulp_sync (Pulp environment '${settings.pulpSync.registryName}')`)
    } else {
      const inputOfSecret = settings.pulp?.secret === settings.pulpSync.secret ? 'pulp-secret' : 'pulp-sync-secret'
      postbuild.push({
        name: 'pulp_sync',
        args: {
          pulp_registry_name: settings.pulpSync.registryName,
          docker_registry: firstV2.base,
          pulp_secret_path: secrets.use(settings.pulpSync.secret, inputOfSecret),
          ...(firstV2.secret ? { registry_secret_path: secrets.use(firstV2.secret, 'registry-secret') } : {}),
          publish: true
        }
      })
      synced = firstV2
    }
  }
  const unused = (input: string, name: string) =>
    warnings.push(`${input}: '${name}' is not used: pulp_push needs v1 in registry-api-versions; pulp_sync needs v2 in registry-api-versions and a /v2 registry in registry-uri`)
  if (settings.pulp && !pushToPulp && !(syncToPulp && settings.pulpSync?.registryName === settings.pulp.registryName)) {
    unused('pulp-registry-name', settings.pulp.registryName)
  } else if (settings.pulpSync && !syncToPulp && settings.pulpSync.registryName !== settings.pulp?.registryName) {
    unused('pulp-sync-registry-name', settings.pulpSync.registryName)
  }
  for (const [input, plugins] of missingSecrets) {
    problems.push({
      input,
      message:
        `Input ${input}: (empty) is not valid: ${plugins.join(' and ')} ${plugins.length > 1 ? 'need' : 'needs'} a Pulp secret. ` +
        `Accepted: the name of the OpenShift secret holding the Pulp credentials`
    })
  }
  // No prepublish plugin exports the image (osbs-client's squash does): compress saves it itself.
  postbuild.push({ name: 'compress', args: { method: 'gzip' } })

  // No import_image: atomic-reactor 1.6.26.3's plugin takes its tags from the orchestrate_build step's result only,
  // and fails after docker_api ('Could not find primary images in workflow'). The action writes the ImageStream
  // itself after the build (flow/image-stream.ts).

  // exit
  const exit: PluginEntry[] = []
  if (synced && synced.host !== settings.sourceRegistry?.host) {
    exit.push({
      name: 'delete_from_registry',
      args: {
        registries: {
          [synced.base]: synced.secret ? { secret: secrets.use(synced.secret, 'registry-secret') } : {}
        }
      }
    })
  }
  exit.push({ name: 'store_metadata_in_osv3', args: apiArgs })
  exit.push({ name: 'remove_built_image' })

  return {
    plugins: {
      client_version: CLIENT_VERSION,
      prebuild_plugins: prebuild,
      prepublish_plugins: [],
      postbuild_plugins: postbuild,
      exit_plugins: exit
    },
    secrets: secrets.list(),
    problems,
    warnings
  }
}
