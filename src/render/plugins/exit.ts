/**
 * The exit plugins in the order of osbs-client's prod template: the build imported into Koji, the synced image
 * deleted from its registry, the metadata stored on the Build, the Koji build tagged, the image removed, the mail.
 */
import type { RegistrySettings, Settings } from '../../settings.js'
import type { PluginEntry } from '../types.js'
import { kojiPromote, kojiTagBuild } from './koji.js'
import type { SecretMounts } from './secrets.js'
import { sendmail } from './sendmail.js'

/** `synced`: the registry pulp_sync synced from; `apiArgs`: how the plugins reach the OpenShift API. */
export function exitPlugins(settings: Settings, synced: RegistrySettings | undefined, secrets: SecretMounts, apiArgs: Record<string, unknown> & { url: string }): PluginEntry[] {
  const exit: PluginEntry[] = []
  const promote = kojiPromote(settings, secrets, apiArgs)
  if (promote) exit.push(promote)
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
  const tag = kojiTagBuild(settings, secrets)
  if (tag) exit.push(tag)
  exit.push({ name: 'remove_built_image' })
  const mail = sendmail(settings, secrets, apiArgs.url)
  if (mail) exit.push(mail)
  return exit
}
