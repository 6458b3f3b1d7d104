/**
 * osbs-client's `adjust_for_scratch` and `adjust_for_isolated` (osbs/build/build_request.py) on the rendered plugin
 * list. Pure: a new list, the input untouched.
 */
import type { BuildKind } from '../../settings.js'
import type { AtomicReactorPlugins, PluginEntry } from '../types.js'

/**
 * What a scratch build leaves out (adjust_for_scratch): the Koji plugins and what only makes an archive for Koji
 * (`compress`, `pulp_pull`), and tag_from_config (the template has no `{{TAG_SUFFIXES}}`). The list is
 * osbs-client's; bump_release, koji, sendmail and the rest stay.
 */
const NOT_IN_SCRATCH: Record<'prebuild_plugins' | 'postbuild_plugins' | 'exit_plugins', string[]> = {
  prebuild_plugins: ['koji_parent'],
  postbuild_plugins: ['compress', 'pulp_pull', 'koji_upload', 'fetch_worker_metadata', 'compare_components', 'tag_from_config'],
  exit_plugins: ['koji_promote', 'koji_import', 'koji_tag_build', 'remove_worker_metadata']
}

/** tag_by_labels with `unique_tag_only`: atomic-reactor 1.6.26.3 then adds the unique tag and no primary one. */
function uniqueTagOnly(entries: PluginEntry[]): PluginEntry[] {
  return entries.map((p) => (p.name === 'tag_by_labels' ? { ...p, args: { ...(p.args ?? {}), unique_tag_only: true } } : p))
}

/**
 * The plugins of a build of this kind. A scratch build: without NOT_IN_SCRATCH, tag_by_labels `unique_tag_only`.
 * An isolated build: the release as a label (add_labels_in_dockerfile, as osbs-client's implicit labels), no
 * bump_release (the release is given), and as primary tag only `<version>-<release>`: tag_by_labels
 * `unique_tag_only` and tag_from_config `{primary: ['{version}-{release}']}` (osbs-client's tag suffixes for an
 * isolated build), since 1.6.26.3's tag_by_labels otherwise also pushes `<version>` and `latest`.
 */
export function pluginsForKind(plugins: AtomicReactorPlugins, kind: BuildKind, release?: string): AtomicReactorPlugins {
  if (kind === 'branch') return plugins
  if (kind === 'scratch') {
    const without = (phase: keyof typeof NOT_IN_SCRATCH) => plugins[phase].filter((p) => !NOT_IN_SCRATCH[phase].includes(p.name))
    return { ...plugins, prebuild_plugins: without('prebuild_plugins'), postbuild_plugins: uniqueTagOnly(without('postbuild_plugins')), exit_plugins: without('exit_plugins') }
  }
  const prebuild = plugins.prebuild_plugins
    .filter((p) => p.name !== 'bump_release')
    .map((p) => (p.name === 'add_labels_in_dockerfile' ? { ...p, args: { ...(p.args ?? {}), labels: { ...((p.args?.labels as object) ?? {}), release } } } : p))
  const isolatedTags: PluginEntry = { name: 'tag_from_config', args: { tag_suffixes: { unique: [], primary: ['{version}-{release}'] } } }
  const hasTagFromConfig = plugins.postbuild_plugins.some((p) => p.name === 'tag_from_config')
  const postbuild: PluginEntry[] = []
  for (const p of uniqueTagOnly(plugins.postbuild_plugins)) {
    postbuild.push(p.name === 'tag_from_config' ? isolatedTags : p)
    if (p.name === 'tag_by_labels' && !hasTagFromConfig) postbuild.push(isolatedTags)
  }
  return { ...plugins, prebuild_plugins: prebuild, postbuild_plugins: postbuild }
}
