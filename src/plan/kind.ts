/**
 * What the kind of build changes in the plan (osbs-client's scratch and isolated builds): no trigger and no
 * ImageStream, the plugins adjusted, and the Build posted directly with its name.
 */
import { isolatedBuildName, scratchBuildName } from '../naming/names.js'
import { pluginsForKind } from '../render/plugins/kinds.js'
import { renderDirectBuild } from '../render/build.js'
import type { AtomicReactorPlugins, BuildConfigObject, BuildObject } from '../render/types.js'
import type { BuildKind, Settings } from '../settings.js'
import type { AutorebuildPlan } from './autorebuild.js'

/** Why a Build posted directly has no trigger, as the summary and the dry run say it. */
const NO_TRIGGER: Record<Exclude<BuildKind, 'branch'>, string> = {
  scratch: 'a scratch build has no BuildConfig and no trigger: it is never rebuilt',
  isolated: 'an isolated build has no BuildConfig and no trigger: it is never rebuilt'
}

/** The autorebuild plan of a build of this kind: a Build posted directly never has a trigger (nor a release to bump). */
export function autorebuildForKind(kind: BuildKind, planned: AutorebuildPlan): AutorebuildPlan {
  if (kind === 'branch') return planned
  return { baseImageStreamTag: planned.baseImageStreamTag, trigger: false, reason: NO_TRIGGER[kind] }
}

/** Words for the kind, in the log, the summary and the dry run. */
export function kindTitle(settings: Pick<Settings, 'kind' | 'release' | 'pullRequest'>): string {
  if (settings.kind === 'scratch') return settings.pullRequest ? `scratch build of pull request #${settings.pullRequest.number}` : 'scratch build'
  if (settings.kind === 'isolated') return `isolated build of release ${settings.release}`
  return 'branch build'
}

/**
 * The plugins, and the Build posted directly (null for a branch build), from the BuildConfig as rendered: the
 * Build's name is osbs-client's, from the unique tag of its output image.
 */
export function directBuildFor(settings: Settings, plugins: AtomicReactorPlugins, buildConfig: BuildConfigObject): { plugins: AtomicReactorPlugins; build: BuildObject | null } {
  if (settings.kind === 'branch') return { plugins, build: null }
  const adjusted = pluginsForKind(plugins, settings.kind, settings.release)
  const strategy = structuredClone(buildConfig.spec.strategy)
  strategy.customStrategy.env = strategy.customStrategy.env.map((e: { name: string; value: string }) => (e.name === 'ATOMIC_REACTOR_PLUGINS' ? { ...e, value: JSON.stringify(adjusted) } : e))
  const outputImage: string = buildConfig.spec.output.to.name
  const uniqueTag = outputImage.slice(outputImage.lastIndexOf(':') + 1)
  const name = settings.kind === 'scratch' ? scratchBuildName(uniqueTag) : isolatedBuildName(settings.git.uri, settings.git.branch, uniqueTag)
  return { plugins: adjusted, build: renderDirectBuild(settings, settings.kind, name, { ...buildConfig, spec: { ...buildConfig.spec, strategy } }) }
}
