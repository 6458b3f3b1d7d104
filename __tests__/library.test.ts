/** SPEC §7: the library runs without the GitHub toolkit; only the action's shell (main, post, their edge) uses it. */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const src = path.resolve(import.meta.dirname, '..', 'src')

/** Every module `entry` imports, directly or not, with the packages each one imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  const visit = (file: string): void => {
    if (graph.has(file)) return
    const text = readFileSync(file, 'utf8')
    // A path into node_modules (the toolkit's own modules, action/toolkit.ts) counts as its package.
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1].replace(/^(?:\.\.?\/)+node_modules\//, ''))
    graph.set(
      file,
      specifiers.filter((s) => !s.startsWith('.'))
    )
    for (const s of specifiers.filter((s) => s.startsWith('.'))) visit(path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')))
  }
  visit(path.join(src, entry))
  return graph
}

describe('the library', () => {
  it.each(['lib.ts', 'flow/index.ts', 'plan/index.ts', 'inputs/parse.ts', 'cluster/index.ts', 'report/dry-run.ts', 'report/outputs.ts', 'report/summary.ts'])(
    '%s needs nothing of the GitHub toolkit',
    (entry) => {
      const graph = importGraph(entry)
      expect(graph.size).toBeGreaterThan(0)
      const toolkit = [...graph].flatMap(([file, packages]) => packages.filter((p) => p.startsWith('@actions/')).map((p) => `${path.relative(src, file)} imports ${p}`))
      expect(toolkit).toEqual([])
    }
  )

  it('the action shell does use it (the check above sees imports), @actions/core only: no Octokit for the run context', () => {
    const packages = [...importGraph('action/main.ts').values()].flat()
    expect(packages.some((p) => p.startsWith('@actions/core/lib/'))).toBe(true)
    expect(packages.filter((p) => p.startsWith('@actions/github') || p.startsWith('@octokit/'))).toEqual([])
  })

  it('the bundle carries no Octokit (its source maps name no @actions/github or @octokit file)', () => {
    const dist = path.resolve(src, '..', 'dist', 'action')
    const sources = readdirSync(dist)
      .filter((f) => f.endsWith('.js.map'))
      .flatMap((f) => (JSON.parse(readFileSync(path.join(dist, f), 'utf8')) as { sources: string[] }).sources)
    expect(sources.some((s) => s.includes('node_modules/undici/'))).toBe(true)
    expect(sources.filter((s) => /node_modules\/(@actions\/github|@octokit)\//.test(s))).toEqual([])
  })
})
