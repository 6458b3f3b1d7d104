/** The postbuild plugins: the RPM list, tag, push to each registry, push to and sync with Pulp, compress, pull from Pulp. */
import type { Problem } from '../../shared/errors.js'
import type { RegistrySettings, Settings } from '../../settings.js'
import type { PluginEntry } from '../types.js'
import type { SecretMounts } from './secrets.js'

export interface Postbuild {
  plugins: PluginEntry[]
  /** The registry pulp_sync syncs from (the exit plugins delete the image from it). */
  synced?: RegistrySettings
  problems: Problem[]
  warnings: string[]
}

/**
 * `exported`: a prepublish plugin (squash) exports the image, and compress and pulp_push load it
 * (`load_exported_image`, as osbs-client's template has them); without one they save the built image themselves.
 */
export function postbuildPlugins(settings: Settings, secrets: SecretMounts, exported: boolean): Postbuild {
  const warnings: string[] = []
  const versions = settings.registryApiVersions
  // BUILT_IMAGE_ID: atomic-reactor's runner puts the built image's id there. tag_from_config without arguments adds
  // the tags of the checkout's `additional-tags` file (beside the Dockerfile), as 1.6.26.3 reads it.
  const postbuild: PluginEntry[] = [...(settings.rpmPackages ? [{ name: 'all_rpm_packages', args: { image_id: 'BUILT_IMAGE_ID' } }] : []), { name: 'tag_by_labels' }, { name: 'tag_from_config' }]
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

  const pulp = pulpPlugins(settings, secrets, exported)
  postbuild.push(...pulp.plugins)
  postbuild.push({ name: 'compress', args: { ...(exported ? { load_exported_image: true } : {}), method: 'gzip' } })
  // pulp_pull (osbs-client's render_pulp_pull): with a Pulp plugin and koji-hub, the digests Pulp's crane serves, for koji_promote.
  if (pulp.plugins.length > 0 && settings.kojiHub) postbuild.push({ name: 'pulp_pull', args: { insecure: true } })

  // No import_image: atomic-reactor 1.6.26.3's plugin takes its tags from the orchestrate_build step's result only,
  // and fails after docker_api ('Could not find primary images in workflow'). The action writes the ImageStream
  // itself after the build (flow/image-stream.ts).
  return { plugins: postbuild, ...(pulp.synced ? { synced: pulp.synced } : {}), problems: pulp.problems, warnings: [...warnings, ...pulp.warnings] }
}

/** pulp_push (v1) and pulp_sync (v2), each with its secret; a missing secret is a problem, an environment no plugin uses a warning. */
function pulpPlugins(settings: Settings, secrets: SecretMounts, exported: boolean): Postbuild {
  const entries: PluginEntry[] = []
  const problems: Problem[] = []
  const warnings: string[] = []
  const versions = settings.registryApiVersions
  const v1 = versions.includes('v1')
  const v2 = versions.includes('v2')
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
      entries.push({
        name: 'pulp_push',
        args: {
          pulp_registry_name: settings.pulp.registryName,
          pulp_secret_path: secrets.use(settings.pulp.secret, 'pulp-secret'),
          ...(exported ? { load_exported_image: true } : {}),
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
      entries.push({
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
  return { plugins: entries, ...(synced ? { synced } : {}), problems, warnings }
}
