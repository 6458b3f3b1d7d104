/**
 * `npm run bundle` step, for the source maps ncc writes:
 * - `sourcesContent` is dropped: stack traces need only the mappings and the file names, and the sources (all of
 *   node_modules) would make a map as big as five bundles;
 * - ncc names each source `../<path in the project>` whatever the output folder; the names are made relative to
 *   the map's own folder, so that a stack trace names `src/…` and `node_modules/…` of the project.
 * Usage: node scripts/slim-source-maps.ts MAP...
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

for (const file of process.argv.slice(2)) {
  const map = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[]; sourcesContent?: unknown }
  delete map.sourcesContent
  const dir = path.dirname(path.resolve(file))
  map.sources = map.sources.map((source) =>
    source.startsWith('../webpack/')
      ? source
      : path
          .relative(dir, path.resolve(source.replace(/^\.\.\//, '')))
          .split(path.sep)
          .join('/')
  )
  writeFileSync(file, JSON.stringify(map))
}
