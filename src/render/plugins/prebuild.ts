/**
 * The prebuild plugins in the order of osbs-client's prod template: the autorebuild check, the base image pull, the
 * release bump, the labels, the parent's Koji build, the FROM pinned, the help page, the Dockerfile in the image, the
 * yum repositories, the distribution scope.
 */
import type { Settings } from '../../settings.js'
import type { PluginEntry } from '../types.js'
import { bumpRelease, kojiParent, kojiRepository } from './koji.js'
import type { SecretMounts } from './secrets.js'
import { addYumRepoByUrl, INJECT_YUM_REPO } from './yum.js'

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
  /** The Dockerfile's number of stages (FROM lines). */
  stages: number
}

/** The plugins that need a base image to inspect: left out for `FROM scratch`, as osbs-client's adjust_for_custom_base_image does. */
function baseImagePlugins(settings: Settings, context: PrebuildContext, secrets: SecretMounts): { pull: PluginEntry[]; parent: PluginEntry[] } {
  if (context.baseImage === null) return { pull: [], parent: [] }
  const pull: PluginEntry = {
    name: 'pull_base_image',
    args: { parent_registry: settings.sourceRegistry?.host ?? null, parent_registry_insecure: settings.sourceRegistry?.insecure ?? false }
  }
  const koji = kojiParent(settings, secrets)
  // 1.6.26.3's change_from_in_dockerfile rewrites every FROM line to the base image's id: in a multi-stage
  // Dockerfile that drops the stages' `AS` names and builds every stage on the final base, so it is left out there.
  const from: PluginEntry[] = context.stages === 1 ? [{ name: 'change_from_in_dockerfile' }] : []
  return { pull: [pull], parent: [...(koji ? [koji] : []), ...from] }
}

/** `apiArgs`: how the plugins reach the OpenShift API (url, verify_ssl, use_auth). */
export function prebuildPlugins(settings: Settings, context: PrebuildContext, apiArgs: Record<string, unknown>, secrets: SecretMounts): PluginEntry[] {
  const prebuild: PluginEntry[] = []
  if (context.trigger) {
    prebuild.push({
      name: 'check_and_set_rebuild',
      args: { label_key: 'is_autorebuild', label_value: 'true', ...apiArgs }
    })
    if (context.autorebuildSetInFile) prebuild.push({ name: 'stop_autorebuild_if_disabled', args: { config_file: settings.repoConfigFile } })
  }
  const base = baseImagePlugins(settings, context, secrets)
  prebuild.push(...base.pull)
  // atomic-reactor 1.6.26.3's bump_release(hub, target=None, koji_ssl_certs_dir=None) asks a Koji hub for the
  // next release: without a hub it cannot run (the commit is pinned by the BuildRequest's SOURCE_REF instead).
  const bump = bumpRelease(settings, secrets)
  if (bump) prebuild.push(bump)
  prebuild.push({ name: 'add_labels_in_dockerfile', args: { labels: {} } })
  prebuild.push(...base.parent)
  // add_help turns the checkout's help.md into a man page when there is one (not required, as in the template).
  prebuild.push({ name: 'add_help', required: false }, { name: 'add_dockerfile' })
  const koji = kojiRepository(settings, secrets)
  if (koji) prebuild.push(koji)
  prebuild.push(addYumRepoByUrl(settings), INJECT_YUM_REPO)
  // Not in atomic-reactor 1.6.26.3 (its runner skips a plugin it lacks when it is not required): kept as osbs-client renders it.
  prebuild.push({ name: 'dockerfile_content', required: false }, { name: 'distribution_scope' })
  return prebuild
}
