/**
 * The files of an image a registry serves, as a container of it sees them: `skopeo copy` to a folder, then each
 * layer unpacked over the ones below with `tar`, whiteouts applied (`.wh.<name>` removes `<name>`; an opaque
 * folder's marker is only dropped: these builds make none). The folder is a temporary one (makeTempDir: removed
 * after the test file).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { makeTempDir } from '../../__fixtures__/temp-dirs.js'

const exec = promisify(execFile)

/** The root file system of `pullSpec` (over TLS, the certificate not checked), and its layers' file lists. */
export async function imageFiles(pullSpec: string): Promise<{ root: string; layers: string[][] }> {
  const dir = makeTempDir('image-files-')
  const copy = join(dir, 'image')
  await exec('skopeo', ['copy', '--src-tls-verify=false', `docker://${pullSpec}`, `dir:${copy}`])
  const manifest = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8')) as { layers: { digest: string }[] }
  const root = join(dir, 'root')
  mkdirSync(root)
  const layers: string[][] = []
  for (const layer of manifest.layers) {
    const file = join(copy, layer.digest.replace(/^sha256:/, ''))
    const listed = (await exec('tar', ['-tf', file], { maxBuffer: 64 * 1024 * 1024 })).stdout.split('\n').filter(Boolean)
    layers.push(listed.map((p) => p.replace(/^\.?\//, '')))
    await exec('tar', ['-xf', file, '-C', root, '--no-same-owner', '--exclude=dev/*'])
    applyWhiteouts(root)
  }
  return { root, layers }
}

function applyWhiteouts(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.name === '.wh..wh..opq') {
      rmSync(path)
      continue
    }
    if (entry.name.startsWith('.wh.')) {
      rmSync(join(dir, entry.name.slice(4)), { recursive: true, force: true })
      rmSync(path)
      continue
    }
    if (entry.isDirectory() && !entry.isSymbolicLink()) applyWhiteouts(path)
  }
}

/** A file of the root file system, or undefined. */
export function fileIn(root: string, path: string): string | undefined {
  const file = join(root, path)
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined
}
