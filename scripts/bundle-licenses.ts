/**
 * `npm run bundle` step: writes dist/licenses.txt, the licence of every package bundled into dist/, read from the
 * bundle's own module list — the `sources` of its source maps, which name each bundled file by its node_modules
 * path (ncc's `--stats-out` module list names the same 25 packages).
 *
 * Why not ncc's `--license`: ncc 0.45's built-in license-webpack-plugin leaves out every package of the entry chunk
 * (dist/action/index.js): undici, @actions/core, @actions/exec, @actions/io and tunnel were missing, 5 of 25.
 * Usage: node scripts/bundle-licenses.ts OUT MAP...
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** The folder of each package a source map names (`…/node_modules/<name>` or `…/node_modules/@scope/<name>`). */
export function bundledPackageDirs(maps: string[]): string[] {
  const dirs = new Set<string>()
  for (const file of maps) {
    const map = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[] }
    for (const source of map.sources) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(source)
      if (match) dirs.add(path.resolve(path.dirname(file), match[1]!))
    }
  }
  return [...dirs].sort()
}

interface Licence {
  name: string
  version: string
  license: string
  text: string
}

export function licenceOf(dir: string): Licence {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string }
  const file = readdirSync(dir)
    .filter((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f))
    .sort()[0]
  if (!pkg.license) throw new Error(`${dir}/package.json names no licence: find the package's licence before bundling it`)
  const text = file ? readFileSync(path.join(dir, file), 'utf8').trim() : `(the package ships no licence file; its package.json says ${pkg.license})`
  return { name: pkg.name, version: pkg.version, license: pkg.license, text }
}

/** One entry per package and version: `name@version`, the licence's name, its text, a blank line. */
export function licencesText(dirs: string[]): string {
  const entries = new Map<string, Licence>()
  for (const dir of dirs) {
    const licence = licenceOf(dir)
    entries.set(`${licence.name}@${licence.version}`, licence)
  }
  return [...entries.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, l]) => `${id}\n${l.license}\n${l.text}\n`)
    .join('\n')
}

if (import.meta.main) {
  const [out, ...maps] = process.argv.slice(2)
  if (!out || maps.length === 0) throw new Error('usage: node scripts/bundle-licenses.ts OUT MAP...')
  writeFileSync(out, licencesText(bundledPackageDirs(maps)))
}
