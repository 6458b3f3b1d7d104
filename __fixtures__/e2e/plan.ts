/** Settings and a BuildPlan for library-level runs of the flow, made the way the action makes them. */
import path from 'node:path'
import { parseSettings } from '../../src/inputs/parse.js'
import type { RawInputs } from '../../src/inputs/raw.js'
import { planFromCheckout } from '../../src/plan/index.js'
import type { BuildPlan } from '../../src/plan/plan.js'
import type { Reporter } from '../../src/shared/reporter.js'
import { DEFAULT_INPUTS } from './action.js'
import type { Checkout } from './git.js'

export async function makePlan(checkout: Checkout, inputs: Record<string, string>, reporter: Reporter): Promise<BuildPlan> {
  const raw = { ...DEFAULT_INPUTS, 'git-uri': checkout.uri, ...inputs } as RawInputs
  const result = parseSettings(
    raw,
    { ref: `refs/heads/${checkout.branch}`, sha: checkout.commit, repository: 'acme/app', serverUrl: 'https://github.com', runId: 7, actor: 'octocat', eventName: 'push' },
    {
      env: { GITHUB_WORKSPACE: checkout.dir },
      homedir: path.join(checkout.dir, 'no-home'),
      cwd: checkout.dir,
      readFile: () => null
    }
  )
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'))
  return planFromCheckout(result.settings, reporter)
}

/** A Reporter that records everything, for assertions. */
export class RecordingReporter implements Reporter {
  readonly events: { kind: string; text: string; props?: unknown }[] = []
  readonly outputs: Record<string, string> = {}
  readonly state: Record<string, string> = {}
  constructor(private readonly echo = false) {}
  private add(kind: string, text: string, props?: unknown): void {
    this.events.push({ kind, text, props })
    if (this.echo) console.log(`${kind}: ${text}`)
  }
  debug(m: string): void {
    this.add('debug', m)
  }
  info(m: string): void {
    this.add('info', m)
  }
  /** A build log line, recorded as an info line (what a person reads). */
  logLine(m: string): void {
    this.add('info', m)
  }
  notice(m: string, p?: unknown): void {
    this.add('notice', m, p)
  }
  warning(m: string, p?: unknown): void {
    this.add('warning', m, p)
  }
  error(m: string, p?: unknown): void {
    this.add('error', m, p)
  }
  startGroup(n: string): void {
    this.add('group', n)
  }
  endGroup(): void {
    this.add('endgroup', '')
  }
  setSecret(v: string): void {
    this.add('secret', v.length ? '***' : '')
  }
  setOutput(n: string, v: string): void {
    this.outputs[n] = v
  }
  saveState(n: string, v: string): void {
    this.state[n] = v
  }
  lines(kind = 'info'): string[] {
    return this.events.filter((e) => e.kind === kind).map((e) => e.text)
  }
}
