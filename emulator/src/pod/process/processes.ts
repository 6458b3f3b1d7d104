/** Processes as /proc shows them: whether one runs, which a process started, which share a PID namespace. */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'

/** pid, parent pid and state of every process now. */
function allProcesses(): { pid: number; ppid: number; state: string }[] {
  const found: { pid: number; ppid: number; state: string }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so read after the last ')'
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      found.push({ pid: Number(entry), ppid: Number(ppid), state: state ?? '' })
    } catch {
      // gone meanwhile
    }
  }
  return found
}

/** Whether process `pid` runs (exists and is not a zombie, which is dead and only waits to be reaped). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** The running descendants of `pid` (children, their children, ...). */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const p of allProcesses()) {
    if (p.state === 'Z') continue
    children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid])
  }
  const found: number[] = []
  const queue = [...(children.get(pid) ?? [])]
  while (queue.length) {
    const next = queue.shift()!
    found.push(next)
    queue.push(...(children.get(next) ?? []))
  }
  return found
}

/** The running processes whose PID namespace is `namespace` (`pid:[N]`; nested namespaces have their own). */
export function processesIn(namespace: string): number[] {
  return allProcesses()
    .filter((p) => p.state !== 'Z')
    .map((p) => p.pid)
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/ns/pid`) === namespace
      } catch {
        return false
      }
    })
}

/** Resolves when none of `pids` runs; rejects, naming them, after `timeoutMs`. */
export async function waitGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const left = pids.filter(isRunning)
    if (left.length === 0) return
    if (Date.now() >= deadline) throw new Error(`processes ${left.join(', ')} are still running`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
