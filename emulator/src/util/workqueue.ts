/**
 * The work queue of an in-process controller (as client-go's): keys added while handling events are deduplicated
 * and handled together on the next turn of the event loop, after the write that caused them has been answered and
 * seen by watchers. A failing key is reported as a process warning, not thrown into the store's fan-out.
 */
export class WorkQueue {
  private readonly keys = new Set<string>()
  private scheduled = false
  private closed = false

  constructor(
    /** for warnings: `image import controller`, … */
    private readonly name: string,
    private readonly handle: (key: string) => void
  ) {}

  add(key: string): void {
    if (this.closed) return
    this.keys.add(key)
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.drain())
  }

  close(): void {
    this.closed = true
    this.keys.clear()
  }

  private drain(): void {
    this.scheduled = false
    if (this.closed) return
    const keys = [...this.keys]
    this.keys.clear()
    for (const key of keys) {
      try {
        this.handle(key)
      } catch (err) {
        process.emitWarning(`${this.name}: ${key}: ${(err as Error).message}`)
      }
    }
  }
}
