/**
 * Where a build's images live: the steps of the emulated atomic-reactor that touch images — pull the base
 * (pull_base_image), build (docker_api), push (tag_and_push), delete a pushed manifest (delete_from_registry) and
 * remove the built image (remove_built_image) — behind one interface with two implementations, chosen once when
 * the cluster makes the reactor's host:
 *
 * - `backends/simulated.ts`: docker's build imitated over the cluster's in-memory registries (../registry.ts);
 * - `backends/real.ts`: buildah and registry processes (../real/engine.ts).
 *
 * The plugins never ask which one they have: they log atomic-reactor's lines around each call, the backend logs
 * the tool's own output (as `atomic_reactor.util` / `atomic_reactor.core` would) through the logger it is given.
 * Everything here is a plain value: no workflow, no host.
 */
import type { ImageContent, ManifestDigests } from '../images/manifests.js'
import type { ImageName } from './util/imagename.js'
import type { Logger } from './util/log.js'

export interface StepOptions {
  /** Aborted when the build is cancelled. */
  signal: AbortSignal
  /** Where the step's own output goes: the atomic-reactor logger that shows the tool's lines. */
  log: Logger
  /** Wait between steps at the cluster's pace; rejects when the build is cancelled. */
  tick(steps?: number): Promise<void>
}

/** What pull_base_image pulled, and the name the image now has in local storage. */
export interface PulledImage {
  image: ImageContent
  localName: string
}

/** The base image as the build sees it before the build step: pulled (an id), or only named by the Dockerfile. */
export interface BaseImage {
  /** The FROM of the final stage (`:latest` when untagged), undefined without a Dockerfile base. */
  name: ImageName | undefined
  /** '' when neither pull_base_image nor a prebuild plugin inspected it. */
  id: string
  labels: Record<string, string>
  layers: string[]
}

export interface BuildRequest {
  /** The build context: the Dockerfile's directory in the checkout. */
  contextDir: string
  dockerfilePath: string
  /** The Dockerfile as the prebuild plugins left it. */
  dockerfile: string
  /** The name the built image gets in local storage. */
  tag: string
  /** The stage bases not pulled yet: pull spec (with the parent registry) → the name the Dockerfile uses. */
  bases: { pull: string; as: string }[]
  base: BaseImage
  /** What a simulated build derives its ids from (the same commit and base give the same image). */
  source: { dockerfile: string; commitId: string; commitTime: string }
}

/** The build step's outcome; `base` when the build itself inspected the final stage's base image (even when it failed later). */
export type BuildOutcome = ({ image: ImageContent } | { failReason: string }) & { base?: Omit<BaseImage, 'name'> }

export interface BuildBackend {
  /** pull_base_image: pull `spec` (the Dockerfile's base with the parent registry), named `names.dockerfile` there. */
  pullBase(spec: string, names: { dockerfile: string; build: string }, options: StepOptions): Promise<PulledImage>
  /** docker_api: build the Dockerfile; a failing build is a `failReason`, not an exception. */
  build(request: BuildRequest, options: StepOptions): Promise<BuildOutcome>
  /** tag_and_push: push `image` to `registry` as `name` (`ns/repo:tag`, `latest` when untagged); the digests the registry serves. */
  push(image: ImageContent, registry: string, name: ImageName, options: StepOptions): Promise<ManifestDigests>
  /** delete_from_registry: delete one manifest; false when the registry does not know it. */
  deleteManifest(registry: string, repository: string, digest: string): Promise<boolean>
  /** remove_built_image: the built image's local name leaves local storage. */
  remove(localName: string): Promise<void>
  /**
   * squash: the image's layers after the first `keep` (the base image's) become one, and the squashed image is
   * written as a docker archive to `output` and, with `load`, stored (`image`); undefined when images have no files
   * here (the simulated build).
   */
  squash(image: ImageContent, keep: number, tag: string, output: string, load: boolean, options: StepOptions): Promise<{ image?: ImageContent; layersBefore: number; layersAfter: number } | undefined>
  /**
   * A command in a new container of the image (`docker run --entrypoint argv[0] image argv[1:]`): the container's
   * name, exit code and output; undefined when images have no files here (the simulated build).
   */
  runInImage(image: ImageContent, argv: string[], options: StepOptions): Promise<{ container: string; code: number; output: string } | undefined>
}
