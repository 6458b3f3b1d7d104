/**
 * A ReactorHost over plain objects, for reactor unit tests that run without the cluster: it records log lines,
 * label merges, annotations and imports, and answers pluginFault from a map; its builds are simulated.
 */
import { podEnvironment } from '../src/pod/env.js'
import type { BuildBackend } from '../src/reactor/backend.js'
import { SimulatedBackend } from '../src/reactor/backends/simulated.js'
import type { ImportedTag, KubeObject, ReactorHost } from '../src/reactor/host.js'
import { ImageRegistries } from '../src/images/registries.js'

export class FakeHost implements ReactorHost {
  readonly lines: string[] = []
  readonly imports: { imageStream: string; repository: string; tags: ImportedTag[]; insecure?: boolean }[] = []
  readonly controller = new AbortController()
  readonly faults = new Map<string, string>()
  paceMs = 0
  paces = 0
  buildConfig: KubeObject | undefined
  /** called for every line, e.g. to cancel at a given point */
  onLine?: (line: string) => void

  readonly backend: BuildBackend

  constructor(
    readonly build: KubeObject,
    readonly registries = new ImageRegistries(),
    buildConfig?: KubeObject
  ) {
    this.buildConfig = buildConfig
    this.backend = new SimulatedBackend(registries)
  }

  /** The pod's env of the Build as it is now (tests edit the Build before they run the reactor). */
  get env(): Record<string, string> {
    return podEnvironment(this.build)
  }

  get namespace(): string {
    return this.build.metadata.namespace ?? 'test'
  }
  get signal(): AbortSignal {
    return this.controller.signal
  }
  log(line: string): void {
    this.lines.push(line)
    this.onLine?.(line)
  }
  async pace(steps = 1): Promise<void> {
    this.paces += steps
    if (this.signal.aborted) throw new Error('aborted')
    if (this.paceMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, this.paceMs * steps)
        this.signal.addEventListener('abort', () => {
          clearTimeout(t)
          reject(new Error('aborted'))
        })
      })
    }
  }
  getBuildConfig(): KubeObject | undefined {
    return this.buildConfig
  }
  mergeBuildConfigLabels(labels: Record<string, string>): void {
    if (!this.buildConfig) throw new Error('buildconfigs "x" not found')
    this.buildConfig.metadata.labels = { ...(this.buildConfig.metadata.labels ?? {}), ...labels }
  }
  setBuildAnnotations(annotations: Record<string, string>): void {
    this.build.metadata.annotations = { ...annotations }
  }
  mergeBuildLabels(labels: Record<string, string>): void {
    this.build.metadata.labels = { ...(this.build.metadata.labels ?? {}), ...labels }
  }
  /** secrets mounted in the pod: mount path → files */
  readonly secrets = new Map<string, Record<string, Buffer>>()
  secretFiles(mountPath: string): Record<string, Buffer> | undefined {
    return this.secrets.get(mountPath)
  }

  readonly imageStreams = new Map<string, { dockerImageRepository: string; insecure: boolean }>()
  getImageStream(name: string): KubeObject | undefined {
    const is = this.imageStreams.get(name)
    return is ? { metadata: { name }, spec: { dockerImageRepository: is.dockerImageRepository } } : undefined
  }
  createImageStream(name: string, dockerImageRepository: string, insecure: boolean): void {
    this.imageStreams.set(name, { dockerImageRepository, insecure })
  }
  importImage(imageStream: string, repository: string, tags: ImportedTag[], insecure?: boolean): void {
    this.imports.push({ imageStream, repository, tags, insecure })
  }
  pluginFault(name: string): string | undefined {
    return this.faults.get(name)
  }
}

/** A Build as OpenShift instantiates it from a BuildConfig (SPEC §9.3), for the fake host. */
export function buildFrom(bc: any, n = 1, extra: { commit?: string; labels?: Record<string, string> } = {}): KubeObject {
  const name = `${bc.metadata.name}-${n}`
  return {
    apiVersion: 'build.openshift.io/v1',
    kind: 'Build',
    metadata: {
      name,
      namespace: 'test',
      labels: {
        ...bc.metadata.labels,
        buildconfig: bc.metadata.name,
        'openshift.io/build-config.name': bc.metadata.name,
        'openshift.io/build.start-policy': 'Serial',
        ...(extra.labels ?? {})
      },
      annotations: { 'openshift.io/build-config.name': bc.metadata.name, 'openshift.io/build.number': String(n) }
    },
    spec: {
      ...JSON.parse(JSON.stringify(bc.spec)),
      ...(extra.commit ? { revision: { type: 'Git', git: { commit: extra.commit } } } : {}),
      // the BuildRequest's env (as the action sends it) is appended to the strategy's: the pod's SOURCE_REF
      ...(extra.commit
        ? { strategy: { ...bc.spec.strategy, customStrategy: { ...bc.spec.strategy.customStrategy, env: [...bc.spec.strategy.customStrategy.env, { name: 'SOURCE_REF', value: extra.commit }] } } }
        : {}),
      triggeredBy: [{ message: 'Manually triggered' }]
    },
    status: { phase: 'Running' }
  }
}
