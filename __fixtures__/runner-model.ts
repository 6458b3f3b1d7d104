/**
 * A model of how the GitHub Actions runner reads a step's stdout (actions/runner, src/Runner.Sdk/ProcessInvoker.cs,
 * src/Runner.Worker/Handlers/OutputManager.cs, src/Runner.Worker/ActionCommandManager.cs,
 * src/Runner.Common/ActionCommand.cs), to check what a job log would make the runner do:
 * - lines end at `\r\n`, `\n` or a lone `\r` (.NET `StreamReader.ReadLine`);
 * - a line holding `::` or `##[` goes to `TryProcessCommand`: `TryParseV2` (`::name props::data` at the start after
 *   blanks), then `TryParse` (`##[name props]data` anywhere); the name must be a registered command (case-insensitive);
 * - `stop-commands` registers its data as a token and stops every command until a line whose command is the token;
 * - a group command is shown as the raw line `##[group]data`, as is a raw `##[group]` line that is not read as a command.
 * The runner matches `::` and `##[` with .NET's culture-sensitive comparisons, for which ignorable characters (a soft
 * hyphen, a zero-width space) do not count: with `ignorables: 'drop'` the model drops them first, so that it finds
 * a command wherever the runner could.
 */

const REGISTERED = ['stop-commands', 'set-env', 'set-output', 'save-state', 'add-mask', 'add-path', 'add-matcher', 'remove-matcher', 'debug', 'warning', 'error', 'notice', 'group', 'endgroup', 'echo']

export interface RunnerCommand {
  command: string
  properties: Record<string, string>
  data: string
  /** The line that carried it. */
  line: string
}

export interface RunnerReading {
  /** Every command the runner carried out, in order (`stop-commands`, the resume token as `resume`, the rest). */
  commands: RunnerCommand[]
  /** The lines the log shows (commands not carried out included, as they are). */
  shown: string[]
  /** Commands were still stopped at the end. */
  stoppedAtEnd: boolean
}

/** .NET `StreamReader.ReadLine` over the whole text. */
export function runnerLines(text: string): string[] {
  const lines: string[] = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c !== '\n' && c !== '\r') continue
    lines.push(text.slice(start, i))
    if (c === '\r' && text[i + 1] === '\n') i++
    start = i + 1
  }
  if (start < text.length) lines.push(text.slice(start))
  return lines
}

const unescapeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
const unescapeProperty = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')
const unescapeV1 = (s: string): string => s.replace(/%3B/g, ';').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%25/g, '%')

function properties(text: string, separator: string, unescape: (s: string) => string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of text.split(separator).filter(Boolean)) {
    const eq = pair.indexOf('=')
    if (eq > 0 && eq < pair.length - 1) out[pair.slice(0, eq)] = unescape(pair.slice(eq + 1))
  }
  return out
}

function parseV2(line: string, registered: Set<string>): Omit<RunnerCommand, 'line'> | undefined {
  const message = line.trimStart()
  if (!message.startsWith('::')) return undefined
  const end = message.indexOf('::', 2)
  if (end < 0) return undefined
  const info = message.slice(2, end)
  const space = info.indexOf(' ')
  const command = space < 0 ? info : info.slice(0, space)
  if (!registered.has(command.toLowerCase())) return undefined
  return { command, properties: space > 0 ? properties(info.slice(space + 1).trim(), ',', unescapeProperty) : {}, data: unescapeData(message.slice(end + 2)) }
}

function parseV1(line: string, registered: Set<string>): Omit<RunnerCommand, 'line'> | undefined {
  const prefix = line.indexOf('##[')
  if (prefix < 0) return undefined
  const rb = line.indexOf(']', prefix)
  if (rb < 0) return undefined
  const info = line.slice(prefix + 3, rb)
  const space = info.indexOf(' ')
  const command = space < 0 ? info : info.slice(0, space)
  if (!registered.has(command.toLowerCase())) return undefined
  return { command, properties: space > 0 ? properties(info.slice(space + 1), ';', unescapeV1) : {}, data: unescapeV1(line.slice(rb + 1)) }
}

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu

/** What the runner does with a step's stdout. */
export function readJobLog(stdout: string, options: { ignorables?: 'keep' | 'drop' } = {}): RunnerReading {
  const registered = new Set(REGISTERED)
  const commands: RunnerCommand[] = []
  const shown: string[] = []
  let token: string | undefined
  for (const raw of runnerLines(stdout)) {
    const line = options.ignorables === 'drop' ? raw.replace(IGNORABLE, '') : raw
    const parsed = line.includes('::') || line.includes('##[') ? (parseV2(line, registered) ?? parseV1(line, registered)) : undefined
    if (!parsed) {
      shown.push(raw)
      continue
    }
    if (token !== undefined) {
      if (parsed.command.toLowerCase() === token.toLowerCase()) {
        commands.push({ ...parsed, command: 'resume', line: raw })
        registered.delete(token.toLowerCase())
        token = undefined
      }
      shown.push(raw)
      continue
    }
    commands.push({ ...parsed, line: raw })
    if (parsed.command.toLowerCase() === 'stop-commands') {
      token = parsed.data
      registered.add(token.toLowerCase())
      shown.push(raw)
    } else if (parsed.command === 'group' || parsed.command === 'endgroup') shown.push(`##[${parsed.command}]${parsed.command === 'group' ? parsed.data : ''}`)
  }
  return { commands, shown, stoppedAtEnd: token !== undefined }
}
