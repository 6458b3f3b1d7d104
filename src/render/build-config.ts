/**
 * SPEC §5.1: the BuildConfig object. Pure.
 */
import type { AtomicReactorPlugins, BuildConfigObject, SecretUse } from './types.js'
import type { Settings } from '../settings.js'
import { repoNameFromGitUri, toLabelValue } from '../naming/names.js'
import { renderSource, sourceCredentialEnv } from './source.js'

export interface BuildConfigInput {
  name: string
  outputImage: string
  /** BL's ImageStreamTag when the ImageChange trigger is written, else null. */
  triggerImageStreamTag: string | null
  plugins: AtomicReactorPlugins
  secrets: SecretUse[]
}

/** Labels the action owns on its BuildConfig (SPEC §4.3). */
export function buildConfigLabels(settings: Settings): Record<string, string> {
  return {
    is_autorebuild: 'false',
    'git-repo-name': toLabelValue(repoNameFromGitUri(settings.git.uri)),
    'git-branch': toLabelValue(settings.git.branch)
  }
}

export function renderBuildConfig(settings: Settings, input: BuildConfigInput): BuildConfigObject {
  return {
    apiVersion: 'build.openshift.io/v1',
    kind: 'BuildConfig',
    metadata: {
      name: input.name,
      namespace: settings.namespace,
      labels: buildConfigLabels(settings)
    },
    spec: {
      runPolicy: 'Serial',
      source: renderSource(settings),
      strategy: {
        type: 'Custom',
        customStrategy: {
          from: { kind: settings.builder.kind, name: settings.builder.name },
          exposeDockerSocket: true,
          env: [{ name: 'ATOMIC_REACTOR_PLUGINS', value: JSON.stringify(input.plugins) }, ...sourceCredentialEnv(settings)],
          secrets: input.secrets.map((s) => ({ secretSource: { name: s.name }, mountPath: s.mountPath }))
        }
      },
      output: { to: { kind: 'DockerImage', name: input.outputImage } },
      triggers: input.triggerImageStreamTag ? [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: input.triggerImageStreamTag } } }] : []
    }
  }
}
