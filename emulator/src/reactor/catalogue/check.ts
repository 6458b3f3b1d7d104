/**
 * A plugin configuration (`ATOMIC_REACTOR_PLUGINS`) checked against atomic-reactor 1.6.26.3's table, the way its
 * runner and plugins would treat it: each problem is a sentence naming the phase, the plugin and the argument.
 */
import { constructorCall, lookup, type CataloguePhase } from './index.js'

interface Entry {
  name: string
  args?: Record<string, unknown>
  required?: boolean
}

export interface PluginConfigLike {
  prebuild_plugins?: Entry[]
  buildstep_plugins?: Entry[]
  prepublish_plugins?: Entry[]
  postbuild_plugins?: Entry[]
  exit_plugins?: Entry[]
}

const PHASES: [keyof PluginConfigLike, CataloguePhase][] = [
  ['prebuild_plugins', 'prebuild'],
  ['buildstep_plugins', 'buildstep'],
  ['prepublish_plugins', 'prepublish'],
  ['postbuild_plugins', 'postbuild'],
  ['exit_plugins', 'exit']
]

/** Prepublish plugins that leave an exported image (workflow.exported_image_sequence) for load_exported_image. */
const EXPORTING = new Set(['squash'])

/** Plugins that need another to have run earlier (in any earlier position of the run). */
const NEEDS: Record<string, { before: string[]; why: string }> = {
  stop_autorebuild_if_disabled: { before: ['check_and_set_rebuild'], why: 'it reads whether check_and_set_rebuild found an autorebuild' },
  tag_and_push: { before: ['tag_by_labels'], why: 'it pushes the tags tag_by_labels (or tag_from_config) made' },
  import_image: { before: ['tag_and_push'], why: 'it imports the primary tags tag_and_push pushed' },
  pulp_sync: { before: ['tag_and_push'], why: 'it syncs what tag_and_push pushed to docker_registry' },
  delete_from_registry: { before: ['pulp_sync'], why: 'it deletes what pulp_sync synced' }
}

export function checkPluginConfig(config: PluginConfigLike): string[] {
  const problems: string[] = []
  const seen: string[] = []
  for (const [field, phase] of PHASES) {
    for (const e of config[field] ?? []) {
      const entry = lookup(e.name, phase)
      if (!entry) {
        if (e.required !== false || phase === 'buildstep') problems.push(`${field}: no such plugin '${e.name}' in atomic-reactor 1.6.26.3`)
        continue
      }
      const call = constructorCall(entry, e.args ?? {})
      for (const [k] of call.dropped) problems.push(`${field}: ${e.name} does not take ${k} (the runner drops it: ${entry.className}.__init__ has no such parameter)`)
      for (const m of call.missing) problems.push(`${field}: ${e.name} needs ${m} (a TypeError without it)`)
      const needs = NEEDS[e.name]
      if (needs && !needs.before.some((b) => seen.includes(b))) problems.push(`${field}: ${e.name} needs ${needs.before.join(' or ')} before it: ${needs.why}`)
      for (const arg of ['load_exported_image', 'load_squashed_image']) {
        if (e.args?.[arg] === true && !(config.prepublish_plugins ?? []).some((p) => EXPORTING.has(p.name))) {
          problems.push(`${field}: ${e.name} has ${arg}: true but no prepublish plugin exports the image (squash does)`)
        }
      }
      seen.push(e.name)
    }
  }
  return problems
}
