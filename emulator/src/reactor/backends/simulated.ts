/**
 * The simulated build backend: images are the cluster's in-memory ones (../../registry.ts) and the build step is
 * an imitation of `docker build` of the Dockerfile as the prebuild plugins left it.
 *
 * The build writes docker's build output (`Step i/n : …`, ` ---> <id>`) and:
 * * `RUN exit N` (shell or JSON form) with N ≠ 0 fails the build like a failing command;
 * * `RUN seq N` (also `seq FIRST LAST`, `seq FIRST STEP LAST`) prints N lines, as a real build would:
 *   the emulator's switch for producing big logs (one log line per number, nothing accumulated);
 * * `RUN echo …` prints its words.
 * The image id is deterministic: a hash of the Dockerfile from the checkout, the commit, the base image id and
 * the final labels (without `build-date`).
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { registryHost } from '../../images/pullspec.js'
import { sha256, type ImageContent, type ManifestDigests } from '../../images/manifests.js'
import { type ImageRegistries } from '../../images/registries.js'
import type { BaseImage, BuildBackend, BuildOutcome, BuildRequest, PulledImage, StepOptions } from '../backend.js'
import { finalLabels, parentStage, parseDockerfile, shellWords, type Instruction, type ParsedDockerfile, type Stage } from '../util/dockerfile.js'
import { ImageName } from '../util/imagename.js'
import type { Logger } from '../util/log.js'

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12)

/** An image being built: its id and layers so far. */
interface Layered {
  id: string
  layers: string[]
}

export class SimulatedBackend implements BuildBackend {
  constructor(private readonly registries: ImageRegistries) {}

  /** A hosted image, else the Dockerfile's name resolved as an external image (deterministic, or as a test published it). */
  async pullBase(spec: string, names: { dockerfile: string; build: string }): Promise<PulledImage> {
    const image = (this.registries.lookup(spec) ?? this.registries.resolveImage(names.dockerfile)).image
    return { image, localName: names.build }
  }

  async build(request: BuildRequest, options: StepOptions): Promise<BuildOutcome> {
    const df = parseDockerfile(request.dockerfile)
    if (!df.stages.length) return { failReason: 'Dockerfile parse error: no build stage in current context' }
    const build = new SimulatedBuild(this.registries, df, request, options)
    const failReason = await build.run()
    const inspected = build.inspectedBase ? { base: build.inspectedBase } : {}
    if (failReason !== undefined) return { failReason, ...inspected }
    const image = build.image()
    options.log.debug(`Successfully built ${short(image.imageId)}`)
    return { image, ...inspected }
  }

  async push(image: ImageContent, registry: string, name: ImageName): Promise<ManifestDigests> {
    return this.registries.push(registryHost(registry), name.repository, name.tag ?? 'latest', image)
  }

  async deleteManifest(registry: string, repository: string, digest: string): Promise<boolean> {
    return this.registries.findRegistry(registry)?.deleteManifest(repository, digest) ?? false
  }

  /** Nothing is stored locally. */
  async remove(): Promise<void> {}

  /** A simulated image has no layers to squash. */
  async squash(): Promise<undefined> {
    return undefined
  }

  /** A simulated image has no files to run anything in. */
  async runInImage(): Promise<undefined> {
    return undefined
  }
}

/** One simulated `docker build`: the stages' images as they are built, and the final stage's base. */
class SimulatedBuild {
  private readonly stageImages = new Map<number, Layered>()
  private current: Layered = { id: '', layers: [] }
  private base: Omit<BaseImage, 'name'>
  /** Set when the build inspected the final stage's base itself (no pull_base_image before it). */
  inspectedBase: Omit<BaseImage, 'name'> | undefined

  constructor(
    private readonly registries: ImageRegistries,
    private readonly df: ParsedDockerfile,
    private readonly request: BuildRequest,
    private readonly options: StepOptions
  ) {
    const { id, labels, layers } = request.base
    this.base = { id, labels, layers }
  }

  private get log(): Logger {
    return this.options.log
  }

  /** Run every step; the fail reason of the step that failed, else undefined. */
  async run(): Promise<string | undefined> {
    const steps = this.df.stages.flatMap((s) => [{ stage: s, ins: undefined as Instruction | undefined }, ...s.instructions.map((ins) => ({ stage: s, ins }))])
    let n = 0
    for (const { stage, ins } of steps) {
      n++
      await this.options.tick()
      const failReason = ins ? await this.instruction(stage, ins, `Step ${n}/${steps.length}`) : this.from(stage, `Step ${n}/${steps.length}`)
      if (failReason !== undefined) return failReason
    }
    return undefined
  }

  /** A stage's FROM: the parent stage's image, scratch, the final base as inspected, or a resolved image. */
  private from(stage: Stage, step: string): string | undefined {
    this.log.debug(`${step} : FROM ${stage.from}${stage.alias ? ` AS ${stage.alias}` : ''}`)
    if (!stage.from) return 'base name should not be blank'
    const parent = parentStage(this.df, stage)
    if (parent) this.current = { ...this.stageImages.get(parent.index)! }
    else if (stage.from === 'scratch') this.current = { id: '', layers: [] }
    else {
      // change_from_in_dockerfile leaves `FROM <base image id>`: docker resolves an id to the local image
      const name = this.request.base.name
      const isFinalBase = (this.base.id !== '' && stage.from === this.base.id) || (name && ImageName.parse(stage.from).toString({ tag: false }) === name.toString({ tag: false }))
      if (isFinalBase && this.base.id) this.current = { id: this.base.id, layers: [...this.base.layers] }
      else {
        const resolved = this.registries.resolveImage(stage.from)
        this.current = { id: resolved.image.imageId, layers: [...(resolved.image.layers ?? [])] }
        if (isFinalBase) {
          this.base = { id: resolved.image.imageId, labels: { ...resolved.image.labels }, layers: resolved.image.layers ?? [] }
          this.inspectedBase = this.base
        }
      }
    }
    this.log.debug(this.current.id ? ` ---> ${short(this.current.id)}` : ' ---> ')
    this.stageImages.set(stage.index, this.current)
    return undefined
  }

  /** Any other instruction: a layer; RUN runs `exit N`, `seq …` and `echo …`. */
  private async instruction(stage: Stage, ins: Instruction, step: string): Promise<string | undefined> {
    this.log.debug(`${step} : ${ins.keyword} ${ins.args}`)
    const layer = 'sha256:' + sha256(`${this.current.id}\0${ins.keyword} ${ins.args}\0${this.request.source.commitId}`)
    if (ins.keyword === 'RUN') {
      const container = sha256(`container\0${layer}`).slice(0, 12)
      this.log.debug(` ---> Running in ${container}`)
      const { display, script } = runCommand(ins)
      const words = script === undefined ? [] : shellWords(script, {})
      const exit = words.length === 2 && words[0] === 'exit' && /^\d+$/.test(words[1]!) ? Number(words[1]) : 0
      if (exit !== 0) return `The command '${display}' returned a non-zero code: ${exit}`
      if (words[0] === 'seq') {
        const range = seqRange(words.slice(1))
        if (range) await printSeq(this.options, range)
      } else if (words[0] === 'echo') {
        this.log.debug(words.slice(1).join(' '))
      }
      this.log.debug(` ---> ${short(layer)}`)
      this.log.debug(`Removing intermediate container ${container}`)
    } else {
      this.log.debug(` ---> Running in ${sha256(`container\0${layer}`).slice(0, 12)}`)
      this.log.debug(` ---> ${short(layer)}`)
    }
    this.current = { id: layer, layers: ['ADD', 'COPY', 'RUN'].includes(ins.keyword) ? [...this.current.layers, layer] : this.current.layers }
    this.stageImages.set(stage.index, this.current)
    return undefined
  }

  /** The built image: its id from the checkout's Dockerfile, the commit, the base and the final labels. */
  image(): ImageContent {
    const labels = finalLabels(this.df, this.base.labels)
    const stable = Object.fromEntries(
      Object.entries(labels)
        .filter(([k]) => k !== 'build-date')
        .sort(([a], [b]) => (a < b ? -1 : 1))
    )
    const { dockerfile, commitId, commitTime } = this.request.source
    const imageId = 'sha256:' + sha256(`image\0${dockerfile}\0${commitId}\0${this.base.id}\0${JSON.stringify(stable)}`)
    return {
      imageId,
      labels,
      architecture: 'amd64',
      created: commitTime || '1970-01-01T00:00:00Z',
      layers: this.current.layers.length ? this.current.layers : ['sha256:' + sha256(`layer\0${imageId}`)]
    }
  }
}

/** The command a RUN instruction executes, as docker prints it in errors, and the shell script part. */
function runCommand(ins: Instruction): { display: string; script: string | undefined } {
  if (ins.json) {
    const argv = ins.json
    if (argv.length >= 3 && /(^|\/)(ba)?sh$/.test(argv[0]!) && argv[1] === '-c') return { display: argv.join(' '), script: argv[2] }
    return { display: argv.join(' '), script: argv.join(' ') }
  }
  return { display: `/bin/sh -c ${ins.rest}`, script: ins.rest }
}

/** Numbers `seq` prints for its arguments, or undefined when they are not numbers. */
export function seqRange(argv: string[]): { first: number; step: number; last: number } | undefined {
  const nums = argv.map((a) => (/^-?\d+$/.test(a) ? Number(a) : NaN))
  if (!nums.length || nums.length > 3 || nums.some((n) => Number.isNaN(n))) return undefined
  if (nums.length === 1) return { first: 1, step: 1, last: nums[0]! }
  if (nums.length === 2) return { first: nums[0]!, step: 1, last: nums[1]! }
  if (nums[1] === 0) return undefined
  return { first: nums[0]!, step: nums[1]!, last: nums[2]! }
}

const digits = Buffer.allocUnsafe(24)

/**
 * An integer in decimal, as a string of its own. Why not String(n): V8 keeps the strings of the numbers it
 * converts in a cache sized by the young generation (up to 16k entries); a million different numbers keep it full
 * of fresh strings, ~400 kB that survive every minor collection, and V8 answers a steady survival by growing the
 * young generation to its largest (to 128 MB on a 64-bit machine): the local OpenShift's memory then grew with the
 * length of a `seq` log.
 */
export function decimal(n: number): string {
  let v = Math.abs(n)
  let at = digits.length
  do {
    digits[--at] = 48 + (v % 10)
    v = Math.floor(v / 10)
  } while (v > 0)
  if (n < 0) digits[--at] = 45
  return digits.toString('latin1', at)
}

/** Print seq's lines: one log line each, paced per line for short runs and per 1000 lines for long ones. */
async function printSeq(options: StepOptions, range: { first: number; step: number; last: number }): Promise<void> {
  const count = Math.max(0, Math.floor((range.last - range.first) / range.step) + 1)
  const batch = count > 1000 ? 1000 : 1
  let inBatch = 0
  for (let i = 0; i < count; i++) {
    options.log.debug(decimal(range.first + i * range.step))
    if (++inBatch >= batch) {
      inBatch = 0
      await options.tick(batch)
      // let sockets drain between batches so that a follower's memory stays flat
      if (batch > 1) await yieldToLoop()
    }
  }
}
