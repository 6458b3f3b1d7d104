/**
 * The Dockerfile (SPEC §3.2): the base layer BL of the final stage and the labels of the image.
 * Instructions are parsed by `dockerfile-ast` (continuations, comments, parser directives, JSON and shell forms);
 * stage aliases, ARG/ENV substitution and the label rules are ours.
 */
import { DockerfileParser } from 'dockerfile-ast'
import type { From, Instruction, Label, Env, Arg } from 'dockerfile-ast'
import type { ImageLabels } from '../naming/pushed-names.js'
import type { Problem } from '../shared/errors.js'
import { isPathComponent } from '../naming/image-reference.js'
import { expandVariables, processWord, referencedVariables, type Lookup } from './dockerfile-variables.js'

export interface LabelValue {
  value: string
  /** 1-based line of the LABEL instruction. */
  line: number
}

export interface DockerfileInfo {
  /** BL: the external image the final stage starts from, ARGs substituted; null for `FROM scratch`. */
  baseImage: string | null
  /** 1-based line of the FROM that names BL (the last FROM when the final stage starts from an image). */
  baseImageLine: number
  /** 1-based line of the last FROM (the start of the final stage). */
  finalStageLine: number
  /** Number of stages. */
  stages: number
  /** Aliases followed from the final stage back to BL (empty for a single-stage Dockerfile). */
  stageChain: string[]
  /** Labels of the final image (inherited through stage aliases), ENV/ARG substituted. */
  labels: Record<string, LabelValue>
}

interface Stage {
  from: From
  line: number
  image: string
  alias?: string
  instructions: Instruction[]
}

const line1 = (instruction: Instruction): number => instruction.getRange().start.line + 1

type RangeLike = { start: { line: number; character: number }; end: { line: number; character: number } }

/** The text of a range as written (quotes and escapes kept), line continuations removed as Docker's parser does. */
function rawText(lines: string[], range: RangeLike | null, escape: string): string {
  if (!range) return ''
  const parts: string[] = []
  for (let l = range.start.line; l <= range.end.line; l++) {
    const text = lines[l] ?? ''
    parts.push(text.slice(l === range.start.line ? range.start.character : 0, l === range.end.line ? range.end.character : undefined))
  }
  const esc = escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
  return parts.join('\n').replace(new RegExp(`${esc}[ \\t]*\\r?\\n`, 'g'), '')
}

/** The text of the Dockerfile as the parser read it: its lines, and its escape character. */
interface Source {
  lines: string[]
  escape: string
}

/** A word of the Dockerfile (a range of it), variables substituted by `lookup`. */
function wordAt(source: Source, range: RangeLike | null, lookup: Lookup): string {
  return processWord(rawText(source.lines, range, source.escape), lookup, source.escape)
}

/**
 * The stages, each with its FROM's image (global ARGs substituted) and its instructions, and the ARGs declared
 * before the first FROM (the only variables FROM can use). A FROM whose image cannot be determined is a problem.
 */
function readStages(instructions: Instruction[], source: Source, file: string, problems: Problem[]): { globalArgs: Map<string, string | undefined>; stages: Stage[] } {
  const globalArgs = new Map<string, string | undefined>()
  const stages: Stage[] = []
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword()
    if (keyword === 'FROM') {
      const from = instruction as From
      const raw = from.getImage() ?? ''
      const missing = referencedVariables(raw).filter((name) => globalArgs.get(name) === undefined)
      const image = expandVariables(raw, (name) => globalArgs.get(name), source.escape)
      if (raw === '') {
        problems.push({ file, line: line1(from), message: `${file}:${line1(from)}: FROM names no image` })
      } else if (image.trim() === '' || /^[:@/]|[:@/]$|\/\/|\s/.test(image.trim())) {
        const detail = missing.length
          ? `${missing.map((n) => (globalArgs.has(n) ? `ARG ${n} has no default` : `${n} is not an ARG declared before the first FROM`)).join('; ')}`
          : `it expands to ${JSON.stringify(image.trim())}`
        problems.push({
          file,
          line: line1(from),
          message: `${file}:${line1(from)}: the image of "FROM ${raw}" cannot be determined: ${detail}. Give the ARG a default value before the first FROM`
        })
      }
      const alias = from.getBuildStage() ?? undefined
      stages.push({ from, line: line1(from), image: image.trim(), alias: alias?.toLowerCase(), instructions: [] })
      continue
    }
    if (stages.length === 0) {
      if (keyword === 'ARG') {
        for (const property of (instruction as Arg).getProperties()) {
          const value = property.getValue()
          globalArgs.set(property.getName(), value === null ? undefined : wordAt(source, property.getValueRange(), (n) => globalArgs.get(n)))
        }
      }
      continue
    }
    stages[stages.length - 1].instructions.push(instruction)
  }
  return { globalArgs, stages }
}

/** Follow stage aliases from the final stage back to an external image: the stages from that root to the final one. */
function stageChain(stages: Stage[]): Stage[] {
  const chain: Stage[] = []
  let index = stages.length - 1
  const visited = new Set<number>()
  for (;;) {
    const stage = stages[index]
    chain.unshift(stage)
    visited.add(index)
    const target = stage.image.toLowerCase()
    let parent = -1
    for (let j = index - 1; j >= 0; j--) {
      if (stages[j].alias === target) {
        parent = j
        break
      }
    }
    if (parent < 0 || visited.has(parent)) break
    index = parent
  }
  return chain
}

/** Labels and ENV along the chain (labels and ENV are inherited from a parent stage; ARGs are not). */
function chainLabels(chain: Stage[], globalArgs: Map<string, string | undefined>, source: Source): Record<string, LabelValue> {
  const env = new Map<string, string>()
  const labels: Record<string, LabelValue> = {}
  for (const stage of chain) {
    const stageArgs = new Map<string, string>()
    const lookup: Lookup = (name) => env.get(name) ?? stageArgs.get(name)
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword()
      if (keyword === 'ARG') {
        for (const property of (instruction as Arg).getProperties()) {
          const value = property.getValue()
          const name = property.getName()
          if (value !== null) stageArgs.set(name, wordAt(source, property.getValueRange(), lookup))
          else if (globalArgs.get(name) !== undefined) stageArgs.set(name, globalArgs.get(name) as string)
        }
      } else if (keyword === 'ENV') {
        for (const property of (instruction as Env).getProperties()) {
          env.set(property.getName(), wordAt(source, property.getValueRange(), lookup))
        }
      } else if (keyword === 'LABEL') {
        for (const property of (instruction as Label).getProperties()) {
          labels[wordAt(source, property.getNameRange(), lookup)] = {
            value: wordAt(source, property.getValueRange(), lookup),
            line: line1(instruction)
          }
        }
      }
    }
  }
  return labels
}

/**
 * Analyses a Dockerfile. `text` is null when the file does not exist; `file` is the path shown in messages and
 * annotations (relative to the checkout).
 */
export function analyzeDockerfile(text: string | null, file: string): { info?: DockerfileInfo; problems: Problem[] } {
  if (text === null) {
    return {
      problems: [{ input: 'dockerfile', message: `Dockerfile ${file} does not exist in the checkout; set the dockerfile input to its path` }]
    }
  }
  const problems: Problem[] = []
  const dockerfile = DockerfileParser.parse(text)
  const source: Source = { lines: text.split('\n'), escape: dockerfile.getEscapeCharacter() }
  const { globalArgs, stages } = readStages(dockerfile.getInstructions(), source, file, problems)
  if (stages.length === 0) {
    problems.push({ file, line: 1, message: `Dockerfile ${file} has no FROM instruction` })
    return { problems }
  }
  if (problems.length > 0) return { problems }

  const chain = stageChain(stages)
  const root = chain[0]
  const final = stages[stages.length - 1]
  const baseImage = root.image.toLowerCase() === 'scratch' ? null : root.image
  return {
    info: {
      baseImage,
      baseImageLine: root.line,
      finalStageLine: final.line,
      stages: stages.length,
      stageChain: chain.slice(1).map((s) => s.image),
      labels: chainLabels(chain, globalArgs, source)
    },
    problems
  }
}

/** The label under the first of `names` present (atomic-reactor's get_preferred_label: the preferred name, then the old one). */
export function pick(labels: Record<string, LabelValue>, names: string[]): { name: string; label: LabelValue } | undefined {
  for (const name of names) {
    const label = labels[name]
    if (label !== undefined) return { name, label }
  }
  return undefined
}

/** The labels SPEC §3.2 requires (`name`/`Name`, `version`/`Version`) and the optional component and release. */
export function imageLabels(info: DockerfileInfo, file: string): { labels?: ImageLabels; problems: Problem[] } {
  const problems: Problem[] = []
  const name = pick(info.labels, ['name', 'Name'])
  const version = pick(info.labels, ['version', 'Version'])
  for (const [found, label] of [
    [name, 'name'],
    [version, 'version']
  ] as const) {
    if (!found || found.label.value.trim() === '') {
      problems.push({
        file,
        line: info.finalStageLine,
        message: `Dockerfile ${file}: the required label '${label}' (or '${label[0].toUpperCase()}${label.slice(1)}') is ${found ? 'empty' : 'missing'}; add LABEL ${label}=… to the final stage`
      })
    }
  }
  if (!name || !version || problems.length) return { problems }
  const component = pick(info.labels, ['com.redhat.component', 'BZComponent'])
  const release = pick(info.labels, ['release', 'Release'])
  const nameValue = name.label.value.trim()
  if (!nameValue.split('/').every(isPathComponent)) {
    problems.push({
      file,
      line: name.label.line,
      message: `Dockerfile ${file}: label ${name.name}=${JSON.stringify(nameValue)} is not an image repository name (lowercase letters and digits, with . _ - between them and / between parts)`
    })
    return { problems }
  }
  return {
    labels: {
      name: nameValue,
      nameLine: name.label.line,
      version: version.label.value.trim(),
      component: component?.label.value.trim() || undefined,
      componentLabel: component?.name,
      release: release?.label.value,
      releaseLine: release?.label.line
    },
    problems
  }
}
