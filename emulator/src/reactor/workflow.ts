/**
 * The state one emulated atomic-reactor run shares between its plugins (atomic-reactor's DockerBuildWorkflow,
 * InsideBuilder, tag_conf and push_conf).
 */
import { writeFile } from 'node:fs/promises'
import type { ReactorHost } from './host.js'
import { v1Id, type ImageContent, type ManifestDigests } from '../images/manifests.js'
import { ImageName } from './util/imagename.js'
import { ReactorLog, type Logger } from './util/log.js'
import type { StepOptions } from './backend.js'
import { PyException } from './util/py.js'
import type { PulpRegistry } from './util/pulp.js'
import { parseDockerfile, type ParsedDockerfile } from './util/dockerfile.js'

export type Phase = 'prebuild' | 'buildstep' | 'prepublish' | 'postbuild' | 'exit'

export interface PluginEntry {
  name: string
  args?: Record<string, unknown>
  required?: boolean
  is_allowed_to_fail?: boolean
}

export interface PluginConfig {
  client_version?: string
  prebuild_plugins?: PluginEntry[]
  buildstep_plugins?: PluginEntry[]
  prepublish_plugins?: PluginEntry[]
  postbuild_plugins?: PluginEntry[]
  exit_plugins?: PluginEntry[]
}

/** What a build-step plugin returns (atomic-reactor's BuildResult). */
export interface BuildResult {
  failReason?: string
  image?: ImageContent
}

/** A docker registry in push_conf. */
export interface PushedRegistry {
  kind: 'docker'
  uri: string
  insecure: boolean
  /** `ns/repo:tag` → digests */
  digests: Map<string, ManifestDigests>
}

export interface ExportedImage {
  path: string
  type: string
  size: number
  md5sum: string
  sha256sum: string
  uncompressed_size?: number
}

/** Raised by stop_autorebuild_if_disabled; never wrapped, never an error in plugins-metadata. */
export class AutoRebuildCanceledException extends PyException {
  constructor(
    readonly plugin: string,
    readonly reason: string
  ) {
    super('AutoRebuildCanceledException', `plugin ${plugin} canceled autorebuild: ${reason}`)
  }
}

export class PluginFailedException extends PyException {
  constructor(message: string) {
    super('PluginFailedException', message)
  }
}

/** The build was cancelled (the host's signal aborted): stop at once. */
export class BuildAborted extends Error {
  constructor() {
    super('build cancelled')
  }
}

export class Workflow {
  readonly log: ReactorLog
  /** Temporary directory of the run (the checkout is inside it). */
  workDir = ''
  /** Checkout root. */
  sourceDir = ''
  commitId = ''
  /** Commit time (ISO), used for deterministic image configs. */
  commitTime = ''
  dockerfilePath = ''
  /** The Dockerfile as read from the checkout (image ids derive from it). */
  originalDockerfile = ''
  /** The Dockerfile as prebuild plugins left it. */
  dockerfile = ''
  /** The FROM value of the final stage (after aliases), with `:latest` when untagged; `scratch` for none. */
  baseImage: ImageName | undefined
  /** What `base-image-name` reports. */
  baseImageName = ''
  baseImageId = ''
  baseImageLabels: Record<string, string> = {}
  baseImageLayers: string[] = []
  /** The base image's config User (inject_yum_repo switches back to it). */
  baseImageUser = ''
  /** workflow.files: files plugins put into the image (add_yum_repo_by_url's repo files), by path. */
  readonly files = new Map<string, string>()
  /** Build labels with `is_autorebuild == "true"` and check_and_set_rebuild configured. */
  isRebuild = false
  autorebuildCanceled = false
  pluginFailed = false
  buildFailReason: string | undefined = 'not built'
  builtImage: ImageContent | undefined
  /** The image id store_metadata reports (squash/pulp_pull may change it in real life). */
  imageId = ''
  readonly tagConf = { primary: [] as ImageName[], unique: [] as ImageName[] }
  readonly pushConf: { docker: PushedRegistry[]; pulp: PulpRegistry[] } = { docker: [], pulp: [] }
  readonly exportedImages: ExportedImage[] = []
  readonly results = new Map<string, unknown>()
  readonly errors: Record<string, string> = {}
  readonly timestamps: Record<string, string> = {}
  readonly durations: Record<string, number> = {}
  readonly config: PluginConfig
  /** v1 top layer id from pulp_push */
  v1ImageId: string | undefined
  readonly mediaTypes = new Set<string>()
  /** Images to remove at the end (remove_built_image) */
  readonly toRemove: string[] = []
  readonly startedAt = new Date()
  /** Every line the run logged so far (what osbs-client's get_build_logs gives koji_promote). */
  readonly logLines: string[] = []
  /** The N-V-R bump_release got from a Koji hub (recorded there when the build completes). */
  kojiBuild: { hub: string; name: string; version: string; release: string } | undefined

  constructor(
    readonly host: ReactorHost,
    config: PluginConfig
  ) {
    this.log = new ReactorLog((line) => {
      this.logLines.push(line)
      host.log(line)
    })
    this.config = config
  }

  get build() {
    return this.host.build
  }

  get buildName(): string {
    return this.host.build.metadata.name
  }

  /** spec.output.to.name (OpenShift's OUTPUT_REGISTRY + OUTPUT_IMAGE). */
  get outputImageFull(): string {
    return String(this.host.build.spec?.output?.to?.name ?? '')
  }

  /** OUTPUT_IMAGE: the output image without its registry. */
  get outputImage(): string {
    const full = this.outputImageFull
    const n = ImageName.parse(full)
    return n.registry ? full.slice(n.registry.length + 1) : full
  }

  /** The name the built image has in the builder's local storage: the output image without its registry. */
  get localImageName(): string {
    return ImageName.parse(this.outputImage || this.buildName)
      .toString()
      .toLowerCase()
  }

  /**
   * The base image's inspect data, as docker gives it after pull_base_image, or by inspecting it now
   * (InsideBuilder.base_image_inspect): its id, labels and layers; nothing for scratch or without a base.
   */
  inspectBase(): void {
    if (this.baseImageId || !this.baseImage || this.baseImage.toString() === 'scratch:latest') return
    const resolved = this.host.registries.resolveImage(this.baseImage.toString())
    this.baseImageId = resolved.image.imageId
    this.baseImageLabels = { ...resolved.image.labels }
    this.baseImageLayers = resolved.image.layers ?? []
  }

  /** What a build backend step needs from this run: the cancellation, the logger for its output, the pace. */
  stepOptions(log: Logger): StepOptions {
    return { signal: this.host.signal, log, tick: (steps) => this.tick(steps) }
  }

  get parsedDockerfile(): ParsedDockerfile {
    return parseDockerfile(this.dockerfile)
  }

  get images(): ImageName[] {
    return [...this.tagConf.primary, ...this.tagConf.unique]
  }

  get buildProcessFailed(): boolean {
    return this.buildFailReason !== undefined || this.pluginFailed
  }

  /** The names of a phase's plugins, in their order. */
  pluginNames(phase: 'prebuild_plugins' | 'postbuild_plugins' | 'exit_plugins'): string[] {
    return (this.config[phase] ?? []).map((e) => e.name)
  }

  /** Entry of a plugin in one phase, when configured. */
  entry(phase: 'prebuild_plugins' | 'postbuild_plugins' | 'exit_plugins', name: string): PluginEntry | undefined {
    return this.config[phase]?.find((e) => e.name === name)
  }

  /** The v1 (top layer) id `docker save` gives the built image. */
  v1ImageIdFor(): string {
    return this.builtImage ? v1Id(this.builtImage.imageId) : ''
  }

  /** Replace the Dockerfile (prebuild plugins append lines); the checkout's file is rewritten too. */
  async setDockerfile(text: string): Promise<void> {
    this.dockerfile = text
    if (this.dockerfilePath) await writeFile(this.dockerfilePath, text)
  }

  /** Append one line to the Dockerfile (dockerfile-parse style: on a line of its own). */
  async appendToDockerfile(line: string): Promise<void> {
    const text = this.dockerfile.endsWith('\n') || this.dockerfile === '' ? this.dockerfile : this.dockerfile + '\n'
    await this.setDockerfile(text + line + '\n')
  }

  /** Check the cancellation signal and wait for the configured pace. */
  async tick(steps = 1): Promise<void> {
    if (this.host.signal.aborted) throw new BuildAborted()
    try {
      await this.host.pace(steps)
    } catch (e) {
      if (this.host.signal.aborted) throw new BuildAborted()
      throw e
    }
    if (this.host.signal.aborted) throw new BuildAborted()
  }
}
