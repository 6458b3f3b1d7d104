/**
 * What a build pod sees of its node and the cluster (the ReactorHost): the build as it started, the pod's
 * environment, its log, the BuildConfig and ImageStreams through the store, the docker registries and the build
 * backend, and the faults a test injects into its steps. The build controller makes one per pod.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { KubeObject } from '../api/object.js'
import type { FaultInjector } from '../faults.js'
import type { ImageRegistries } from '../images/registries.js'
import type { BuildBackend } from '../reactor/backend.js'
import type { ImportedTag, ReactorHost } from '../reactor/host.js'
import { buildConfigName } from '../registry/build/names.js'
import type { Images } from '../registry/imagestream/images.js'
import { importTags } from '../registry/imagestreamimport/rest.js'
import type { BuildLog } from '../storage/build-logs.js'
import type { Store } from '../storage/store.js'
import { podEnvironment } from './env.js'
import { prepareSourceVolume, secretVolumes, volumesFromStore } from './volumes.js'

/** ReactorHost on top of the store. */
export class Host implements ReactorHost {
  readonly namespace: string
  readonly env: Record<string, string>
  constructor(
    private readonly store: Store,
    private readonly images: Images,
    private readonly faults: FaultInjector,
    readonly registries: ImageRegistries,
    readonly backend: BuildBackend,
    readonly build: KubeObject,
    private readonly buildLog: BuildLog,
    readonly signal: AbortSignal,
    private readonly paceMs: number,
    private readonly tail: string[]
  ) {
    this.namespace = build.metadata.namespace!
    this.env = podEnvironment(build)
  }

  writeSourceVolume(dir: string): { source: string; target: string } | undefined {
    return prepareSourceVolume(this.build, dir, volumesFromStore(this.store, this.namespace))
  }

  log(line: string): void {
    if (this.signal.aborted) return
    this.buildLog.append(line)
    this.tail.push(line)
    if (this.tail.length > 10) this.tail.shift()
  }

  async pace(steps = 1): Promise<void> {
    if (this.signal.aborted) throw this.signal.reason ?? new Error('build cancelled')
    await this.faults.held(this.build.metadata.name, this.signal)
    if (this.paceMs > 0) await sleep(this.paceMs * steps, undefined, { signal: this.signal })
    else await new Promise<void>((r) => setImmediate(r))
    if (this.signal.aborted) throw this.signal.reason ?? new Error('build cancelled')
  }

  private bcName(): string | undefined {
    return buildConfigName(this.build)
  }

  getBuildConfig(): KubeObject | undefined {
    const n = this.bcName()
    return n ? this.store.get('buildconfigs', this.namespace, n) : undefined
  }

  /** Merge labels as atomic-reactor does: GET, change, PUT, and again on 409 (injected 409s count too). */
  mergeBuildConfigLabels(labels: Record<string, string>): void {
    const n = this.bcName()
    if (!n) throw new Error('build has no BuildConfig')
    const path = `/apis/build.openshift.io/v1/namespaces/${this.namespace}/buildconfigs/${n}`
    for (let attempt = 1; ; attempt++) {
      const bc = this.store.get('buildconfigs', this.namespace, n)
      if (!bc) throw new Error(`buildconfigs.build.openshift.io "${n}" not found`)
      bc.metadata.labels = { ...(bc.metadata.labels ?? {}), ...labels }
      const fault = this.faults.take('PUT', path, new URLSearchParams()).status
      try {
        if (fault?.status === 409) throw Object.assign(new Error('Conflict'), { code: 'Conflict' })
        if (fault) throw new Error(`HTTP ${fault.status} from PUT ${path}`)
        this.store.update('buildconfigs', bc, bc.metadata.resourceVersion)
        return
      } catch (err) {
        if ((err as { code?: string }).code !== 'Conflict' || attempt >= 10) throw err
      }
    }
  }

  setBuildAnnotations(annotations: Record<string, string>): void {
    this.store.modify('builds', this.namespace, this.build.metadata.name, (o) => {
      o.metadata.annotations = { ...annotations }
      return o
    })
  }

  mergeBuildLabels(labels: Record<string, string>): void {
    this.store.modify('builds', this.namespace, this.build.metadata.name, (o) => {
      o.metadata.labels = { ...(o.metadata.labels ?? {}), ...labels }
      return o
    })
  }

  secretFiles(mountPath: string): Record<string, Buffer> | undefined {
    const volume = secretVolumes(this.build).find((v) => v.mountPath.replace(/\/+$/, '') === mountPath.replace(/\/+$/, ''))
    const secret = volume ? this.store.get('secrets', this.namespace, volume.name) : undefined
    if (!secret) return undefined
    return Object.fromEntries(Object.entries((secret.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64')]))
  }

  getImageStream(name: string): KubeObject | undefined {
    return this.store.get('imagestreams', this.namespace, name)
  }

  createImageStream(name: string, dockerImageRepository: string, insecure: boolean): void {
    this.store.create('imagestreams', {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name, namespace: this.namespace, ...(insecure ? { annotations: { 'openshift.io/image.insecureRepository': 'true' } } : {}) },
      spec: { dockerImageRepository }
    })
  }

  importImage(imageStream: string, dockerImageRepository: string, tags: ImportedTag[], insecure?: boolean): void {
    importTags(this.images, this.namespace, imageStream, dockerImageRepository, tags, insecure)
  }

  pluginFault(pluginName: string): string | undefined {
    return this.faults.pluginFault(pluginName, this.build.metadata.name)
  }
}
