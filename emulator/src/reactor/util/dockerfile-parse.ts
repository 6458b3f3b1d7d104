/**
 * The Dockerfile as atomic-reactor reads it: the rules of dockerfile-parse 2.0.1 (`DockerfileParser(...,
 * env_replace=True)`: `labels`, `parent_images`, `baseimage`), which differ from Docker's own:
 * * variables are `$NAME` and `${NAME}` only: in `${T-26}` or `${T:-26}` the name ends at the first other
 *   character and the rest stays as written (`fedora:${T-26}` → `fedora:-26}`);
 * * the escape character is always the backslash (`# escape=` is not applied to words);
 * * labels are those of the last stage only (no inheritance through stage aliases); ARG values are taken as
 *   written; a stage's ARG takes the value of the ARG of that name before the first FROM.
 * The simulated `docker build` (plugins/build.ts) keeps Docker's rules (dockerfile.ts).
 */
import { parseInstructions } from './dockerfile.js'

type Vars = Record<string, string>

/** dockerfile-parse's WordSplitter.split: words of `s`, variables substituted when `vars` is given. */
export function splitWords(s: string, vars?: { args: Vars; envs: Vars }, opts: { maxsplit?: number; dequote?: boolean } = {}): string[] {
  const dequote = opts.dequote ?? true
  const maxsplit = opts.maxsplit
  let quotes: string | null = null
  let escaped = false
  const words: string[] = []
  let word: string | null = null
  let splits = 0
  let i = 0
  const read = () => (i < s.length ? s[i++]! : '')
  const update = (ch: string): string => {
    const wasEscaped = escaped
    escaped = !escaped && ch === '\\' && quotes !== "'"
    if (escaped) return ''
    if (wasEscaped) {
      if (quotes === '"') return ch === '"' ? ch : '\\' + ch
      return ch
    }
    if (quotes === null) {
      if (ch === "'" || ch === '"') {
        quotes = ch
        return ''
      }
    } else if (quotes === ch) {
      quotes = null
      return ''
    }
    return ch
  }
  for (;;) {
    let ch = read()
    if (!ch) {
      if (word !== null) words.push(word)
      return words
    }
    if (!escaped && vars && ch === '$' && quotes !== "'") {
      let braced = false
      for (;;) {
        braced = false
        let name = ''
        for (;;) {
          ch = read()
          if (name === '' && ch === '{') {
            braced = true
            continue
          }
          if (!ch) break
          if (braced && ch === '}') break
          if (!/^[\p{L}\p{N}_]$/u.test(ch)) break
          name += ch
        }
        const value = vars.envs[name] ?? vars.args[name]
        if (value !== undefined) word = (word ?? '') + value
        if (ch !== '$') break
      }
      if (braced && ch === '}') continue
      if (!ch) {
        if (word !== null) words.push(word)
        return words
      }
    }
    const wasEscaped = escaped
    const kept = update(ch)
    if (dequote) ch = kept
    const maySplit = maxsplit !== 0 && (maxsplit === undefined || splits < maxsplit)
    if (maySplit && quotes === null && !wasEscaped && /^\s$/.test(ch)) {
      if (word !== null) {
        splits++
        words.push(word)
      }
      word = null
    } else word = (word ?? '') + ch
  }
}

const dequoted = (s: string, vars?: { args: Vars; envs: Vars }) => splitWords(s, vars, { maxsplit: 0 }).join('')

/** extract_key_values: `k=v ...` pairs, or the `key value` form. */
export function keyValues(value: string, vars?: { args: Vars; envs: Vars }): [string, string][] {
  const words = splitWords(value, undefined, { dequote: false })
  if (!words.length) return []
  if (!words[0]!.includes('=')) {
    const m = /^\s*(\S+)(?:\s+([\s\S]*))?$/.exec(value)
    return [[dequoted(m?.[1] ?? '', vars), m?.[2] !== undefined ? dequoted(m[2], vars) : '']]
  }
  return words.map((kv) => {
    const eq = kv.indexOf('=')
    if (eq < 0) throw new Error(`Syntax error - can't find = in "${kv}". Must be of the form: name=value`)
    return [dequoted(kv.slice(0, eq), vars), dequoted(kv.slice(eq + 1), vars)]
  })
}

export interface DockerfileParseView {
  /** parent_images: one per FROM, top-level ARGs substituted */
  parents: string[]
  /** baseimage: the last parent */
  baseImage: string | undefined
  /** labels of the last stage */
  labels: Record<string, string>
}

/** `image_from`: the image of a FROM value (flags and `AS name` left out). */
function imageFrom(value: string): string | undefined {
  const words = value
    .trim()
    .split(/\s+/)
    .filter((w) => !w.startsWith('--'))
  return words[0]
}

export function dockerfileParse(text: string): DockerfileParseView {
  const { instructions } = parseInstructions(text)
  const topArgs: Vars = {}
  const parents: string[] = []
  let inStage = false
  let labels: Record<string, string> = {}
  let args: Vars = {}
  let envs: Vars = {}
  for (const ins of instructions) {
    const value = ins.args
    if (ins.keyword === 'FROM') {
      inStage = true
      const image = imageFrom(value)
      if (image !== undefined) parents.push(dequoted(image, { args: topArgs, envs: {} }))
      labels = {}
      args = {}
      envs = {}
    } else if (ins.keyword === 'LABEL' || ins.keyword === 'ENV' || ins.keyword === 'ARG') {
      const pairs = keyValues(value, ins.keyword === 'ARG' ? undefined : { args, envs })
      for (const [key, given] of pairs) {
        let v = given
        if (ins.keyword === 'ARG') {
          if (inStage) {
            if (key in topArgs) v = topArgs[key]!
            args[key] = v
          } else topArgs[key] = v
        }
        if (ins.keyword === 'LABEL') labels[key] = v
        if (ins.keyword === 'ENV') envs[key] = v
      }
    }
  }
  return { parents, baseImage: parents[parents.length - 1], labels }
}

/** The Dockerfile's lines with their newlines (dockerfile-parse's `lines`). */
export function dockerfileLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}
