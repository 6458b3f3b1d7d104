/**
 * The house's rules, read from the code (each product's tests call `houseRules` with its floors): no import circle; every file on a floor (by its folder) imports only from
 * its own floor or the floors below; no file past 400 lines and no function past 80 without its reason written
 * at its top ("Why this file is long:" in the file's first comment, "Why this function is long:" in the comment
 * right above the function). The floors, top first, are the caller's.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

const root = path.resolve(import.meta.dirname, '..')

/** Every .ts file under `dir` (relative to the repository). */
function sources(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(path.join(root, d))) {
      const rel = path.join(d, name)
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel)
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(rel)
    }
  }
  walk(dir)
  return out.sort()
}

/** The relative imports of a file (static, dynamic and type-only), as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8')
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)].map((m) => m[1] ?? m[2])
  return specifiers.map((s) => path.normalize(path.join(path.dirname(file), s!.replace(/\.js$/, '.ts'))))
}

/** The floor of a file: the index of the first pattern (a path prefix) it starts with. */
function floorOf(file: string, floors: string[][]): number {
  const index = floors.findIndex((prefixes) => prefixes.some((p) => file === p || file.startsWith(p.endsWith('/') ? p : `${p}/`) || file === `${p}.ts`))
  return index
}

/** Circles of the import graph (strongly connected components of more than one file, or a file importing itself). */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string): void => {
    indices.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!indices.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!))
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!indices.has(v)) visit(v)
  return found
}

/** Functions (declarations, methods, arrows, function expressions) longer than `max` lines without a reason above them. */
function longFunctions(file: string, max: number): string[] {
  const text = readFileSync(path.join(root, file), 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const out: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line
      if (end - start + 1 > max) {
        // the comment of the statement that holds the function (a declaration, a method, a const = arrow)
        let holder: ts.Node = node
        while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isClassLike(holder.parent) && !ts.isBlock(holder.parent) && !ts.isObjectLiteralExpression(holder.parent)) holder = holder.parent
        const comments = (ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? []).map((r) => text.slice(r.pos, r.end)).join('\n')
        if (!/Why this function is long:/.test(comments)) out.push(`${file}:${start + 1} ${end - start + 1} lines`)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

export interface Product {
  name: string
  dir: string
  /** Top floor first; each entry lists path prefixes (folders or files without .ts). */
  floors: string[][]
}

export function houseRules(product: Product): void {
  const files = sources(product.dir)
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => i.startsWith(product.dir + '/'))]))

  describe(`the house: ${product.name}`, () => {
    it('has no import circle', () => {
      expect(circles(graph)).toEqual([])
    })

    it('puts every file on a floor', () => {
      expect(files.filter((f) => floorOf(f, product.floors) < 0)).toEqual([])
    })

    it('imports only from its own floor or the floors below', () => {
      const up: string[] = []
      for (const [file, imports] of graph) {
        const floor = floorOf(file, product.floors)
        for (const target of imports) if (floorOf(target, product.floors) < floor) up.push(`${file} -> ${target}`)
      }
      expect(up).toEqual([])
    })

    it('has no file past 400 lines and no function past 80 without a reason at its top', () => {
      const long = files.filter((f) => {
        const text = readFileSync(path.join(root, f), 'utf8')
        return text.split('\n').length > 400 && !/Why this file is long:/.test(text.slice(0, 2000))
      })
      expect(long).toEqual([])
      expect(files.flatMap((f) => longFunctions(f, 80))).toEqual([])
    })
  })
}
