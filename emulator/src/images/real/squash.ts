/**
 * docker-squash's squash, which 1.6.26.3's `squash` plugin runs, done on a docker archive with GNU tar: the layers
 * of an image after its first `keep` (the base image's) become one, whose whiteouts keep hiding only what the kept
 * layers have; the image is written as a docker archive (`docker save`'s layout: manifest.json, the config, one
 * tar per layer) at `output`, whose config gives the new image id.
 *
 * docker-squash is a Python library not packaged by Debian (no PyPI here): this does its work with the tools the
 * real builds already use. Tar's own archive format is GNU tar's here, as it is Docker's in docker-squash.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'

const exec = promisify(execFile)

interface ArchiveManifest {
  Config: string
  RepoTags: string[] | null
  Layers: string[]
}

interface ImageConfig {
  rootfs: { type: string; diff_ids: string[] }
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[]
  [key: string]: unknown
}

export interface Squashed {
  /** `sha256:` of the new config: the squashed image's id */
  imageId: string
  /** how many layers the image had, and how many it has now */
  layersBefore: number
  layersAfter: number
}

async function tar(args: string[]): Promise<string> {
  return (await exec('tar', args, { maxBuffer: 256 * 1024 * 1024 })).stdout
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Squash the docker archive `archive` (an image `docker save`d) above its first `keep` layers into `output`, named
 * `tag`; `work` is an empty folder for the pieces (removed after).
 */
export async function squashArchive(archive: string, keep: number, tag: string, output: string, work: string): Promise<Squashed> {
  const unpacked = join(work, 'archive')
  await mkdir(unpacked, { recursive: true })
  await tar(['-xf', archive, '-C', unpacked])
  const [manifest] = JSON.parse(await readFile(join(unpacked, 'manifest.json'), 'utf8')) as ArchiveManifest[]
  if (!manifest) throw new Error(`${archive} has no image in its manifest.json`)
  const config = JSON.parse(await readFile(join(unpacked, manifest.Config), 'utf8')) as ImageConfig
  const layers = manifest.Layers
  if (keep >= layers.length) return { imageId: '', layersBefore: layers.length, layersAfter: layers.length }
  const kept = layers.slice(0, keep)
  // what the kept layers have: a whiteout of anything else only hid a file of the squashed layers themselves
  const below = new Set<string>()
  for (const layer of kept) for (const path of (await tar(['-tf', join(unpacked, layer)])).split('\n')) if (path) below.add(path.replace(/^\.\//, '').replace(/\/$/, ''))
  const tree = join(work, 'squashed')
  await mkdir(tree)
  const whiteouts = new Set<string>()
  for (const layer of layers.slice(keep)) {
    await tar(['-xpf', join(unpacked, layer), '-C', tree, '--numeric-owner'])
    await applyWhiteouts(tree, tree, whiteouts)
  }
  for (const hidden of whiteouts) {
    // hidden again only when a kept layer has it and no squashed layer put it back
    if (!below.has(hidden) || existsSync(join(tree, hidden))) continue
    const slash = hidden.lastIndexOf('/')
    const marker = join(tree, hidden.slice(0, slash + 1), `.wh.${hidden.slice(slash + 1)}`)
    await mkdir(join(marker, '..'), { recursive: true })
    await writeFile(marker, '')
  }
  const layerFile = join(unpacked, 'squashed.tar')
  await tar(['-cf', layerFile, '-C', tree, '--numeric-owner', '--sort=name', '.'])
  const diffId = `sha256:${await sha256File(layerFile)}`
  const keptDiffIds = config.rootfs.diff_ids.slice(0, keep)
  const history = config.history ?? []
  // the kept layers' history entries (empty ones too), up to the last kept layer; then the squashed layer's
  let nonEmpty = 0
  const keptHistory = history.filter((h) => (h.empty_layer ? nonEmpty < keep : ++nonEmpty <= keep))
  const squashedConfig: ImageConfig = {
    ...config,
    rootfs: { type: 'layers', diff_ids: [...keptDiffIds, diffId] },
    history: [...keptHistory, { created: new Date().toISOString(), created_by: '' }]
  }
  const configText = JSON.stringify(squashedConfig)
  const imageHex = createHash('sha256').update(configText).digest('hex')
  await writeFile(join(unpacked, `${imageHex}.json`), configText)
  const newManifest: ArchiveManifest[] = [{ Config: `${imageHex}.json`, RepoTags: [tag], Layers: [...kept, 'squashed.tar'] }]
  await writeFile(join(unpacked, 'manifest.json'), JSON.stringify(newManifest))
  await tar(['-cf', output, '-C', unpacked, 'manifest.json', `${imageHex}.json`, ...kept, 'squashed.tar'])
  await rm(work, { recursive: true, force: true })
  return { imageId: `sha256:${imageHex}`, layersBefore: layers.length, layersAfter: keep + 1 }
}

/** Remove each whiteout marker of `dir` with what it hides (noting it, relative to `root`). */
async function applyWhiteouts(root: string, dir: string, hidden: Set<string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.name === '.wh..wh..opq') {
      await rm(path)
      continue
    }
    if (entry.name.startsWith('.wh.')) {
      const target = join(dir, entry.name.slice(4))
      await rm(target, { recursive: true, force: true })
      await rm(path)
      hidden.add(relative(root, target))
      continue
    }
    if (entry.isDirectory()) await applyWhiteouts(root, path, hidden)
  }
}
