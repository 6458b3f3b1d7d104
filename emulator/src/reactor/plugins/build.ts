/**
 * The build step `docker_api`: `buildah bud` when builds are real (real/steps.ts), else a simulated `docker build`
 * of the Dockerfile as the prebuild plugins left it.
 *
 * It writes docker's build output (`Step i/n : …`, ` ---> <id>`) and:
 * * `RUN exit N` (shell or JSON form) with N ≠ 0 fails the build like a failing command;
 * * `RUN seq N` (also `seq FIRST LAST`, `seq FIRST STEP LAST`) prints N lines, as a real build would:
 *   the emulator's switch for producing big logs (one host.log call per line, nothing accumulated);
 * * `RUN echo …` prints its words.
 * The image id is deterministic: a hash of the Dockerfile from the checkout, the commit, the base image id and
 * the final labels (without `build-date`).
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { sha256, type ImageContent } from '../../registry.js'
import { finalLabels, parentStage, shellWords, type Instruction } from '../util/dockerfile.js'
import { ImageName } from '../util/imagename.js'
import { buildReal } from '../../real/steps.js'
import type { BuildResult, Plugin, Workflow } from '../workflow.js'

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12)

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

export const dockerApi: Plugin = {
  key: 'docker_api',
  async run(wf, _args, log): Promise<BuildResult> {
    if (wf.host.registries.engine) return buildReal(wf)
    const util = wf.log.logger('atomic_reactor.util')
    const df = wf.parsedDockerfile
    log.debug('build is submitted, waiting for it to finish')
    util.info('wait_for_command')
    const steps = df.stages.flatMap((s) => [{ stage: s, ins: undefined as Instruction | undefined }, ...s.instructions.map((ins) => ({ stage: s, ins }))])
    const total = steps.length
    if (!df.stages.length) {
      const reason = 'Dockerfile parse error: no build stage in current context'
      util.error(reason)
      return { failReason: reason }
    }
    const stageImages = new Map<number, { id: string; layers: string[] }>()
    let current = { id: '', layers: [] as string[] }
    let n = 0
    for (const { stage, ins } of steps) {
      n++
      await wf.tick()
      if (!ins) {
        util.debug(`Step ${n}/${total} : FROM ${stage.from}${stage.alias ? ` AS ${stage.alias}` : ''}`)
        if (!stage.from) {
          const reason = 'base name should not be blank'
          util.error(reason)
          return { failReason: reason }
        }
        const parent = parentStage(df, stage)
        if (parent) current = { ...stageImages.get(parent.index)! }
        else if (stage.from === 'scratch') current = { id: '', layers: [] }
        else {
          // change_from_in_dockerfile leaves `FROM <base image id>`: docker resolves an id to the local image
          const isFinalBase =
            (wf.baseImageId !== '' && stage.from === wf.baseImageId) || (wf.baseImage && ImageName.parse(stage.from).toString({ tag: false }) === wf.baseImage.toString({ tag: false }))
          if (isFinalBase && wf.baseImageId) current = { id: wf.baseImageId, layers: [...wf.baseImageLayers] }
          else {
            const resolved = wf.host.registries.resolveImage(stage.from)
            current = { id: resolved.image.imageId, layers: [...(resolved.image.layers ?? [])] }
            if (isFinalBase) {
              wf.baseImageId = resolved.image.imageId
              wf.baseImageLabels = { ...resolved.image.labels }
              wf.baseImageLayers = resolved.image.layers ?? []
            }
          }
        }
        util.debug(current.id ? ` ---> ${short(current.id)}` : ' ---> ')
        stageImages.set(stage.index, current)
        continue
      }
      util.debug(`Step ${n}/${total} : ${ins.keyword} ${ins.args}`)
      const layer = 'sha256:' + sha256(`${current.id}\0${ins.keyword} ${ins.args}\0${wf.commitId}`)
      if (ins.keyword === 'RUN') {
        const container = sha256(`container\0${layer}`).slice(0, 12)
        util.debug(` ---> Running in ${container}`)
        const { display, script } = runCommand(ins)
        const words = script === undefined ? [] : shellWords(script, {})
        const exit = words.length === 2 && words[0] === 'exit' && /^\d+$/.test(words[1]!) ? Number(words[1]) : 0
        if (exit !== 0) {
          const reason = `The command '${display}' returned a non-zero code: ${exit}`
          util.error(reason)
          return { failReason: reason }
        }
        if (words[0] === 'seq') {
          const range = seqRange(words.slice(1))
          if (range) await printSeq(wf, range, (line) => util.debug(line))
        } else if (words[0] === 'echo') {
          util.debug(words.slice(1).join(' '))
        }
        util.debug(` ---> ${short(layer)}`)
        util.debug(`Removing intermediate container ${container}`)
      } else {
        util.debug(` ---> Running in ${sha256(`container\0${layer}`).slice(0, 12)}`)
        util.debug(` ---> ${short(layer)}`)
      }
      current = { id: layer, layers: ['ADD', 'COPY', 'RUN'].includes(ins.keyword) ? [...current.layers, layer] : current.layers }
      stageImages.set(stage.index, current)
    }
    const labels = finalLabels(df, wf.baseImageLabels)
    const stable = Object.fromEntries(
      Object.entries(labels)
        .filter(([k]) => k !== 'build-date')
        .sort(([a], [b]) => (a < b ? -1 : 1))
    )
    const imageId = 'sha256:' + sha256(`image\0${wf.originalDockerfile}\0${wf.commitId}\0${wf.baseImageId}\0${JSON.stringify(stable)}`)
    const image: ImageContent = {
      imageId,
      labels,
      architecture: 'amd64',
      created: wf.commitTime || '1970-01-01T00:00:00Z',
      layers: current.layers.length ? current.layers : ['sha256:' + sha256(`layer\0${imageId}`)]
    }
    util.debug(`Successfully built ${short(imageId)}`)
    util.info('no more logs')
    return { image }
  }
}

/** Print seq's lines: one log line each, paced per line for short runs and per 1000 lines for long ones. */
async function printSeq(wf: Workflow, range: { first: number; step: number; last: number }, out: (line: string) => void): Promise<void> {
  const count = Math.max(0, Math.floor((range.last - range.first) / range.step) + 1)
  const batch = count > 1000 ? 1000 : 1
  let inBatch = 0
  for (let i = 0; i < count; i++) {
    out(String(range.first + i * range.step))
    if (++inBatch >= batch) {
      inBatch = 0
      await wf.tick(batch)
      // let sockets drain between batches so that a follower's memory stays flat
      if (batch > 1) await yieldToLoop()
    }
  }
}
