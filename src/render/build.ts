/**
 * The Build a scratch or an isolated build posts directly (osbs-client's `_create_build_directly`): the
 * BuildConfig's source, strategy and output without a BuildConfig, a trigger or a run policy; `serviceAccount:
 * builder`; the kind's label (`scratch` or `isolated`, `true`) beside the git labels; the source's ref is the commit
 * itself (atomic-reactor checks out SOURCE_REF, which the custom strategy takes from it). Pure.
 */
import type { BuildKind, Settings } from '../settings.js'
import { buildConfigLabels } from './build-config.js'
import { renderSource } from './source.js'
import type { BuildConfigObject, BuildObject } from './types.js'

export function renderDirectBuild(settings: Settings, kind: Exclude<BuildKind, 'branch'>, name: string, from: BuildConfigObject): BuildObject {
  const { strategy, output } = from.spec
  return {
    apiVersion: 'build.openshift.io/v1',
    kind: 'Build',
    metadata: {
      name,
      namespace: settings.namespace,
      labels: { ...buildConfigLabels(settings), [kind]: 'true' }
    },
    spec: {
      serviceAccount: 'builder',
      // the source secret too (render/source.ts): a private repository's pull request clones as its branch does
      source: { ...renderSource(settings), git: { uri: settings.git.uri, ref: settings.git.commit } },
      revision: { type: 'Git', git: { commit: settings.git.commit } },
      strategy,
      output
    }
  }
}
