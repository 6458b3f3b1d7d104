/** The exit plugins: the synced image deleted from its registry, the metadata stored on the Build, the image removed. */
import type { RegistrySettings, Settings } from '../../settings.js'
import type { PluginEntry } from '../types.js'
import type { SecretMounts } from './secrets.js'

/** `synced`: the registry pulp_sync synced from; `apiArgs`: how the plugins reach the OpenShift API. */
export function exitPlugins(settings: Settings, synced: RegistrySettings | undefined, secrets: SecretMounts, apiArgs: Record<string, unknown>): PluginEntry[] {
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
  return exit
}
