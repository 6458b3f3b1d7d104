/** The prebuild plugins: the autorebuild check, the base image pull, the release bump, the labels. */
import type { Settings } from '../../settings.js'
import type { PluginEntry } from '../types.js'

/** What decides the prebuild plugins besides the Settings. */
export interface PrebuildContext {
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
}

/** `apiArgs`: how the plugins reach the OpenShift API (url, verify_ssl, use_auth). */
export function prebuildPlugins(settings: Settings, context: PrebuildContext, apiArgs: Record<string, unknown>): PluginEntry[] {
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
  return prebuild
}
