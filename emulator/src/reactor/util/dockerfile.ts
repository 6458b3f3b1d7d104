/**
 * A Dockerfile reader for the emulated build: instructions with continuations, comments, parser directives,
 * JSON and shell forms; stages with aliases; ARG defaults (before the first FROM and inside stages), ENV, and
 * LABEL with docker's variable substitution (`$X`, `${X}`, `${X:-d}`, `${X:+d}`) and quoting.
 */

export interface Instruction {
  /** Upper-case keyword (`FROM`, `RUN`, …). */
  keyword: string
  /** Everything after the keyword, continuations joined (flags included). */
  args: string
  /** `--name=value` flags at the start of args (FROM --platform, COPY --from). */
  flags: Record<string, string>
  /** args without the flags */
  rest: string
  /** JSON (exec) form, when args is a JSON array of strings. */
  json?: string[]
  /** 1-based line of the keyword. */
  line: number
  /** 1-based last line (continuations included). */
  endLine: number
}

export interface Stage {
  index: number
  /** The FROM value after ARG substitution. */
  from: string
  alias?: string
  instructions: Instruction[]
}

export interface ParsedDockerfile {
  escape: string
  instructions: Instruction[]
  /** ARG defaults declared before the first FROM. */
  globalArgs: Record<string, string | undefined>
  stages: Stage[]
}

/** Split the text into instructions. */
export function parseInstructions(text: string): { escape: string; instructions: Instruction[] } {
  const lines = text.split(/\r?\n/)
  let escape = '\\'
  let i = 0
  // parser directives: only at the very top, `# key=value`
  for (; i < lines.length; i++) {
    const m = /^\s*#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]!)
    if (!m) break
    if (m[1]!.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2]!
  }
  const instructions: Instruction[] = []
  while (i < lines.length) {
    const first = lines[i]!
    if (/^\s*(#|$)/.test(first)) {
      i++
      continue
    }
    const line = i + 1
    let joined = ''
    let current = first
    for (;;) {
      const trimmed = current.replace(/\s+$/, '')
      if (trimmed.endsWith(escape) && i + 1 < lines.length) {
        joined += trimmed.slice(0, -1)
        i++
        // comment lines and empty lines inside a continuation are skipped
        while (i < lines.length && /^\s*#/.test(lines[i]!)) i++
        if (i >= lines.length) break
        current = lines[i]!
        continue
      }
      joined += trimmed.endsWith(escape) ? trimmed.slice(0, -1) : current
      i++
      break
    }
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(joined)
    if (!m) continue
    const keyword = m[1]!.toUpperCase()
    const args = m[2]!.trim()
    const flags: Record<string, string> = {}
    let rest = args
    for (;;) {
      const f = /^--([a-zA-Z-]+)(?:=(\S*))?\s*/.exec(rest)
      if (!f) break
      flags[f[1]!] = f[2] ?? 'true'
      rest = rest.slice(f[0].length)
    }
    let json: string[] | undefined
    if (rest.startsWith('[')) {
      try {
        const parsed = JSON.parse(rest)
        if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) json = parsed
      } catch {
        /* shell form */
      }
    }
    instructions.push({ keyword, args, flags, rest, json, line, endLine: i })
  }
  return { escape, instructions }
}

/** Substitute variables in one word list, docker style; returns the words after quote removal. */
export function shellWords(input: string, env: Record<string, string | undefined>, escape = '\\'): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quoted = false
  let i = 0
  const flush = () => {
    // an unquoted word that expanded to nothing disappears, as in a shell
    if (word !== '' || quoted) words.push(word)
    word = ''
    inWord = false
    quoted = false
  }
  const lookup = (name: string) => env[name]
  const expand = (): string => {
    // at '$'
    i++
    if (input[i] === '{') {
      const end = input.indexOf('}', i)
      if (end < 0) return '${'
      const body = input.slice(i + 1, end)
      i = end + 1
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+])([\s\S]*))?$/.exec(body)
      if (!m) return ''
      const value = lookup(m[1]!)
      // `:-`/`:+` test set and non-empty, `-`/`+` only set
      const present = m[2] === ':' ? !!value : value !== undefined
      if (m[3] === '-') return present ? value! : substitute(m[4] ?? '', env, escape)
      if (m[3] === '+') return present ? substitute(m[4] ?? '', env, escape) : ''
      return value ?? ''
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i))
    if (!m) return '$'
    i += m[0].length
    return lookup(m[0]) ?? ''
  }
  while (i < input.length) {
    const ch = input[i]!
    if (/\s/.test(ch)) {
      if (inWord) flush()
      i++
      continue
    }
    inWord = true
    if (ch === escape && i + 1 < input.length) {
      word += input[i + 1]
      i += 2
    } else if (ch === "'") {
      quoted = true
      const end = input.indexOf("'", i + 1)
      word += end < 0 ? input.slice(i + 1) : input.slice(i + 1, end)
      i = end < 0 ? input.length : end + 1
    } else if (ch === '"') {
      quoted = true
      i++
      while (i < input.length && input[i] !== '"') {
        if (input[i] === escape && i + 1 < input.length && '"$\\`'.includes(input[i + 1]!)) {
          word += input[i + 1]
          i += 2
        } else if (input[i] === '$') word += expand()
        else word += input[i++]
      }
      i++
    } else if (ch === '$') word += expand()
    else {
      word += ch
      i++
    }
  }
  if (inWord) flush()
  return words
}

/** Substitute variables in a string without splitting it into words (FROM values, `${X:-default}` parts). */
export function substitute(input: string, env: Record<string, string | undefined>, escape = '\\'): string {
  return shellWords(input.replace(/\s/g, '\u0000'), env, escape)
    .join(' ')
    .replace(/\u0000/g, ' ')
}

/** Parse `k=v k2="v 2"` pairs (or the old `key value` form) after substitution. */
export function keyValuePairs(rest: string, env: Record<string, string | undefined>, escape = '\\'): [string, string][] {
  const words = shellWords(rest, env, escape)
  if (words.length && !words[0]!.includes('=')) {
    // old form: KEY value with spaces
    const m = /^\s*(\S+)\s+([\s\S]*)$/.exec(rest)
    if (!m) return [[words[0]!, '']]
    return [[shellWords(m[1]!, env, escape).join(''), shellWords(m[2]!, env, escape).join(' ')]]
  }
  return words.map((w) => {
    const eq = w.indexOf('=')
    return eq < 0 ? ([w, ''] as [string, string]) : ([w.slice(0, eq), w.slice(eq + 1)] as [string, string])
  })
}

/** Parse a Dockerfile into stages. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const { escape, instructions } = parseInstructions(text)
  const globalArgs: Record<string, string | undefined> = {}
  const stages: Stage[] = []
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.rest.split(/\s+/).filter(Boolean)
      const from = substitute(words[0] ?? '', globalArgs, escape)
      const alias = words.length >= 3 && words[1]!.toUpperCase() === 'AS' ? words[2]!.toLowerCase() : undefined
      stages.push({ index: stages.length, from, alias, instructions: [] })
      continue
    }
    if (stages.length === 0) {
      if (ins.keyword === 'ARG') for (const [k, v] of argPairs(ins.rest, globalArgs, escape)) globalArgs[k] = v
      continue
    }
    stages[stages.length - 1]!.instructions.push(ins)
  }
  return { escape, instructions, globalArgs, stages }
}

function argPairs(rest: string, env: Record<string, string | undefined>, escape: string): [string, string | undefined][] {
  return shellWords(rest, env, escape).map((w) => {
    const eq = w.indexOf('=')
    return eq < 0 ? [w, undefined] : [w.slice(0, eq), w.slice(eq + 1)]
  })
}

/** The stage a FROM value refers to, when it names an earlier stage (by alias or index). */
export function parentStage(df: ParsedDockerfile, stage: Stage): Stage | undefined {
  const ref = stage.from.toLowerCase()
  for (let i = stage.index - 1; i >= 0; i--) {
    const s = df.stages[i]!
    if (s.alias === ref || String(s.index) === ref) return s
  }
  return undefined
}

/** The external image the final stage starts from (`scratch` for none), following stage aliases. */
export function baseImage(df: ParsedDockerfile): string | undefined {
  let stage = df.stages[df.stages.length - 1]
  while (stage) {
    const parent = parentStage(df, stage)
    if (!parent) return stage.from
    stage = parent
  }
  return undefined
}

/** The environment (ENV and ARG values) and labels of a stage, inherited from parent stages. */
export function stageState(
  df: ParsedDockerfile,
  stage: Stage,
  inheritedLabels: Record<string, string> = {},
  inheritedEnv: Record<string, string> = {}
): { env: Record<string, string>; labels: Record<string, string> } {
  const parent = parentStage(df, stage)
  const start = parent ? stageState(df, parent, inheritedLabels, inheritedEnv) : { env: { ...inheritedEnv }, labels: { ...inheritedLabels } }
  const env: Record<string, string> = { ...start.env }
  const labels: Record<string, string> = { ...start.labels }
  const args: Record<string, string | undefined> = {}
  const scope = () => ({ ...args, ...env })
  for (const ins of stage.instructions) {
    if (ins.keyword === 'ARG') {
      for (const [k, v] of argPairs(ins.rest, scope(), df.escape)) {
        args[k] = v ?? df.globalArgs[k] ?? args[k]
      }
    } else if (ins.keyword === 'ENV') {
      for (const [k, v] of keyValuePairs(ins.rest, scope(), df.escape)) env[k] = v
    } else if (ins.keyword === 'LABEL') {
      for (const [k, v] of keyValuePairs(ins.rest, scope(), df.escape)) labels[k] = v
    }
  }
  return { env, labels }
}

/** Labels of the final stage (what `docker inspect` of the built image shows, before the base image's). */
export function finalLabels(df: ParsedDockerfile, inherited: Record<string, string> = {}): Record<string, string> {
  const stage = df.stages[df.stages.length - 1]
  return stage ? stageState(df, stage, inherited).labels : { ...inherited }
}

/** First present label of a preference chain (`release`/`Release`, …). */
export function labelOf(labels: Record<string, string>, ...keys: string[]): string | undefined {
  for (const k of keys) if (labels[k] !== undefined) return labels[k]
  return undefined
}

/** Quote a label value the way dockerfile-parse's setter does (only when needed). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_.,:/@%+=-]+$/.test(value) ? value : "'" + value.replace(/'/g, `'"'"'`) + "'"
}
