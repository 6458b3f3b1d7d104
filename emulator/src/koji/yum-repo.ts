/**
 * The repodata of the build tags' yum repositories the hub serves under its topurl (`repos/TAG/REPO_ID/ARCH/`, as
 * koji.PathInfo.repo names them): the hub has no RPMs, so each repository is a valid empty one. Made by
 * `createrepo_c` (Debian's createrepo-c) when it is installed, as Koji's own repos are; otherwise the same three
 * metadata files and repomd.xml written here (each with the sha256 of its gzip and of its content, as dnf checks).
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** repodata/ of an empty repository without createrepo_c: primary, filelists and other, and repomd.xml naming them. */
export function minimalRepodata(now = Math.floor(Date.now() / 1000)): Map<string, Buffer> {
  const docs = {
    primary: '<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="0">\n</metadata>\n',
    filelists: '<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="0">\n</filelists>\n',
    other: '<otherdata xmlns="http://linux.duke.edu/metadata/other" packages="0">\n</otherdata>\n'
  }
  const files = new Map<string, Buffer>()
  const data: string[] = []
  for (const [type, xml] of Object.entries(docs)) {
    const open = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`)
    const gz = gzipSync(open)
    const name = `${sha256(gz)}-${type}.xml.gz`
    files.set(name, gz)
    data.push(
      `  <data type="${type}">\n    <checksum type="sha256">${sha256(gz)}</checksum>\n    <open-checksum type="sha256">${sha256(open)}</open-checksum>\n` +
        `    <location href="repodata/${name}"/>\n    <timestamp>${now}</timestamp>\n    <size>${gz.length}</size>\n    <open-size>${open.length}</open-size>\n  </data>`
    )
  }
  files.set(
    'repomd.xml',
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">\n  <revision>${now}</revision>\n${data.join('\n')}\n</repomd>\n`
    )
  )
  return files
}

/** repodata/ of an empty repository: createrepo_c's when it is installed, else minimalRepodata(). */
export async function emptyRepodata(): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(join(tmpdir(), 'koji-repo-'))
  try {
    const made = await new Promise<boolean>((resolve, reject) =>
      execFile('createrepo_c', ['--quiet', '--no-database', dir], { timeout: 60_000 }, (err, _out, stderr) => {
        if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') resolve(false)
        else if (err) reject(new Error(`createrepo_c failed: ${stderr || err.message}`))
        else resolve(true)
      })
    )
    if (!made) return minimalRepodata()
    const files = new Map<string, Buffer>()
    for (const name of await readdir(join(dir, 'repodata'))) files.set(name, await readFile(join(dir, 'repodata', name)))
    return files
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
