/**
 * dist/licenses.txt names every package bundled into dist/: the bundle's own module list is the `sources` of its
 * source maps (each bundled file by its node_modules path), read here on its own.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const dist = path.join(root, 'dist')

/** Every package a source map of dist/ names, as name@version (the version from the package's own package.json). */
function bundledPackages(): Set<string> {
  const maps = [dist, path.join(dist, 'action')].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.js.map'))
      .map((f) => path.join(dir, f))
  )
  expect(maps.length).toBeGreaterThan(2)
  const packages = new Set<string>()
  for (const map of maps) {
    for (const source of (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources) {
      const at = source.lastIndexOf('node_modules/')
      if (at < 0) continue
      const parts = source.slice(at + 'node_modules/'.length).split('/')
      const dir = path.resolve(path.dirname(map), source.slice(0, at), 'node_modules', ...parts.slice(0, parts[0]!.startsWith('@') ? 2 : 1))
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string }
      packages.add(`${pkg.name}@${pkg.version}`)
    }
  }
  return packages
}

/** The entries of the licence file: `name@version`, the licence's name, its text, separated by blank lines. */
function licenceEntries(text: string): Map<string, { license: string; text: string }> {
  const entries = new Map<string, { license: string; text: string }>()
  for (const m of text.matchAll(/^((?:@[\w.-]+\/)?[\w.-]+@\d[\w.+-]*)\n(.+)\n([\s\S]*?)(?=\n^(?:@[\w.-]+\/)?[\w.-]+@\d[\w.+-]*\n|(?![\s\S]))/gm)) {
    entries.set(m[1]!, { license: m[2]!, text: m[3]!.trim() })
  }
  return entries
}

describe('dist/licenses.txt', () => {
  const entries = licenceEntries(readFileSync(path.join(dist, 'licenses.txt'), 'utf8'))
  const bundled = bundledPackages()

  it('names exactly the packages bundled into dist/, the toolkit and undici among them', () => {
    expect([...bundled]).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^undici@/),
        expect.stringMatching(/^@actions\/core@/),
        expect.stringMatching(/^@actions\/exec@/),
        expect.stringMatching(/^@actions\/io@/),
        expect.stringMatching(/^tunnel@/)
      ])
    )
    expect([...entries.keys()].sort()).toEqual([...bundled].sort())
  })

  it("gives each package's licence and its text", () => {
    for (const [name, entry] of entries) {
      expect([name, entry.license]).toEqual([name, expect.stringMatching(/^[\w.() -]+$/)])
      expect([name, entry.text.length > 100]).toEqual([name, true])
    }
  })

  it('is the only licence file: ncc no longer writes one of its own', () => {
    expect(readdirSync(path.join(dist, 'action')).filter((f) => /licen[cs]e/i.test(f))).toEqual([])
  })
})
