/**
 * The floors of the local OpenShift's API side, each importing only those below it (emulator/README.md):
 * api/ → storage/ → apiserver/ → registry/. The generic machinery (apiserver/) knows no resource: the table of
 * resources (registry/index.ts) is handed to it. A test of the imports as written, as __tests__/library.test.ts does
 * for the toolkit edge.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const src = path.resolve(import.meta.dirname, '..', 'src')

/** Every .ts file under `dir` (relative to src/), with the files of src/ it imports (relative to src/). */
function imports(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const entry of readdirSync(path.join(src, dir), { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue
    const file = path.join(src, dir, entry)
    const text = readFileSync(file, 'utf8')
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => m[1]!)
    out.set(
      path.relative(src, file),
      specifiers.map((s) => path.relative(src, path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts'))))
    )
  }
  return out
}

/** What each floor may import besides itself: the floors below, and the few helpers beside them. */
const FLOORS: Array<[string, string[]]> = [
  ['api', []],
  ['storage', ['api/']],
  ['apiserver', ['api/', 'storage/', 'http.ts', 'workqueue.ts']],
  // the docker registries (registry.ts) and the reactor's ImportedTag are what an ImageStream reads and is told
  ['registry', ['api/', 'storage/', 'apiserver/', 'http.ts', 'registry.ts', 'reactor/host.ts']]
]

describe('the floors of the API side', () => {
  it.each(FLOORS)('%s/ imports only the floors below it', (floor, below) => {
    const graph = imports(floor)
    expect(graph.size).toBeGreaterThan(0)
    const up = [...graph].flatMap(([file, targets]) =>
      targets.filter((t) => !t.startsWith(`${floor}/`) && !below.some((b) => (b.endsWith('/') ? t.startsWith(b) : t === b))).map((t) => `${file} imports ${t}`)
    )
    expect(up).toEqual([])
  })

  it('no file of these floors takes part in an import circle', () => {
    const graph = new Map(FLOORS.flatMap(([floor]) => [...imports(floor)]))
    const circles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'open') {
        circles.push([...trail.slice(trail.indexOf(file)), file].join(' → '))
        return
      }
      state.set(file, 'open')
      for (const t of graph.get(file) ?? []) visit(t, [...trail, file])
      state.set(file, 'done')
    }
    for (const file of graph.keys()) visit(file, [])
    expect(circles).toEqual([])
  })
})
