/**
 * The requests the API has served, in the order they came and were answered (`cluster.requests`,
 * `GET /_emulator/requests`): what a client asked, and which of its requests waited for another's answer.
 * Each entry carries two positions on one counter (`sent`, `answered`), so that order is known without a clock:
 * a request sent after another was answered had to wait for it. Bounded: the oldest entries go first.
 */
import type { ServerResponse } from 'node:http'

export interface RequestEntry {
  method: string
  /** path and query, as sent */
  url: string
  /** position when the request arrived */
  sent: number
  /** position when its answer ended (a stream: when it closed); undefined while it is open */
  answered?: number
  status?: number
}

export class RequestLog {
  private readonly entries: RequestEntry[] = []
  private counter = 0

  constructor(private readonly limit = 10_000) {}

  /** Record a request; its answer is recorded when `res` closes. */
  record(method: string, url: string, res: ServerResponse): void {
    const entry: RequestEntry = { method, url, sent: ++this.counter }
    this.entries.push(entry)
    if (this.entries.length > this.limit) this.entries.shift()
    res.once('close', () => {
      entry.answered = ++this.counter
      entry.status = res.statusCode
    })
  }

  list(): RequestEntry[] {
    return this.entries.map((e) => ({ ...e }))
  }

  clear(): void {
    this.entries.length = 0
  }
}

/**
 * The longest chain of requests each sent after the previous one was answered: the round trips a client made one
 * after another (requests in parallel count once).
 */
export function sequentialRoundTrips(entries: RequestEntry[]): number {
  const sorted = [...entries].sort((a, b) => a.sent - b.sent)
  const depth: number[] = []
  let longest = 0
  sorted.forEach((entry, i) => {
    let best = 0
    for (let j = 0; j < i; j++) {
      const before = sorted[j]!
      if (before.answered !== undefined && before.answered < entry.sent) best = Math.max(best, depth[j]!)
    }
    depth[i] = best + 1
    longest = Math.max(longest, depth[i]!)
  })
  return longest
}
