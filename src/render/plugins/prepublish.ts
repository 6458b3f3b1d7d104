/** The prepublish plugins: squash (osbs-client's prod template has it; render_squash removes it only for a Flatpak). */
import type { Settings } from '../../settings.js'
import type { PluginEntry } from '../types.js'

/**
 * squash unless `squash: false`. 1.6.26.3's squash inspects the base image in its constructor for `from_base`
 * (on by default), which fails for `FROM scratch`: there it squashes the whole image (`from_base: false`).
 */
export function prepublishPlugins(settings: Settings, baseImage: string | null): PluginEntry[] {
  if (!settings.squash) return []
  return [baseImage === null ? { name: 'squash', args: { from_base: false } } : { name: 'squash' }]
}
