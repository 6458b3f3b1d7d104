/**
 * The local OpenShift's yum repositories, served over HTTP on 127.0.0.1: `repo(name)` makes a repository (a real
 * one, `createrepo_c` over a small package made with rpmbuild, when Debian's `createrepo-c` and `rpm` are installed;
 * else a valid empty one: a `repodata/repomd.xml` with empty primary, filelists and other metadata) and answers the
 * URL of its `.repo` file, which is what osbs-client's `--add-yum-repo` and the `add_yum_repo_by_url` plugin take.
 *
 * A static file server of its own (the repositories' files are a handful, read whole): no library serves a folder
 * with less than these lines, and this keeps the paths under the folder.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, normalize, sep } from 'node:path'
import { buildRpm, canRun } from './rpm.js'

const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

export class YumRepos {
  private readonly dir = mkdtempSync(join(tmpdir(), 'local-yum-'))
  private readonly server: Server
  private address = ''
  private readonly made = new Map<string, string>()

  constructor() {
    this.server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
      const file = normalize(join(this.dir, path))
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !file.startsWith(this.dir + sep)) {
        res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).end()
        return
      }
      let body: Buffer
      try {
        if (!statSync(file).isFile()) throw new Error('not a file')
        body = readFileSync(file)
      } catch {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`${path} not found\n`)
        return
      }
      res.writeHead(200, { 'Content-Type': contentType(file), 'Content-Length': body.length })
      res.end(req.method === 'HEAD' ? undefined : body)
    })
  }

  /** Listen on 127.0.0.1 (a free port); resolves with `http://127.0.0.1:PORT`. */
  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', () => resolve())
    })
    this.address = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.address
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    return this.address
  }

  /**
   * The URL of repository `name`'s `.repo` file (`<url>/<name>.repo`), making the repository the first time:
   * `[<name>]` with `baseurl=<url>/<name>/`, `enabled=1`, `gpgcheck=0`.
   */
  repo(name = 'local'): string {
    if (!REPO_NAME.test(name)) throw new Error(`yum repository name ${JSON.stringify(name)} is not a name (letters, digits, _ . -)`)
    const known = this.made.get(name)
    if (known) return known
    const repoDir = join(this.dir, name)
    mkdirSync(repoDir)
    makeRepository(repoDir, name)
    writeFileSync(join(this.dir, `${name}.repo`), repoFile(name, `${this.address}/${name}/`))
    const url = `${this.address}/${name}.repo`
    this.made.set(name, url)
    return url
  }

  /** The `.repo` file `repo(name)` serves. */
  repoFileText(name = 'local'): string {
    return readFileSync(join(this.dir, `${name}.repo`), 'utf8')
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export function repoFile(name: string, baseurl: string): string {
  return `[${name}]\nname=${name}\nbaseurl=${baseurl}\nenabled=1\ngpgcheck=0\n`
}

/** createrepo_c over one package of the repository's own; without the tools, valid empty metadata. */
function makeRepository(repoDir: string, name: string): void {
  if (canRun('rpmbuild') && canRun('createrepo_c')) {
    buildRpm({ name: `${name}-release`, version: '1', release: '1', summary: `The ${name} repository of the local OpenShift`, files: { [`/etc/${name}-release`]: `${name} 1` } }, repoDir)
    const run = spawnSync('createrepo_c', ['--quiet', '--no-database', repoDir], { encoding: 'utf8', timeout: 60_000 })
    if (run.status !== 0) throw new Error(`createrepo_c ${repoDir} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.trim()}`)
    return
  }
  emptyRepodata(repoDir)
}

/** repodata/ as createrepo_c writes it for a folder without packages. */
function emptyRepodata(repoDir: string): void {
  const data = join(repoDir, 'repodata')
  mkdirSync(data)
  const docs = {
    primary: '<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="0">\n</metadata>\n',
    filelists: '<?xml version="1.0" encoding="UTF-8"?>\n<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="0">\n</filelists>\n',
    other: '<?xml version="1.0" encoding="UTF-8"?>\n<otherdata xmlns="http://linux.duke.edu/metadata/other" packages="0">\n</otherdata>\n'
  }
  const entries = Object.entries(docs).map(([type, xml]) => {
    const checksum = createHash('sha256').update(xml).digest('hex')
    writeFileSync(join(data, `${type}.xml`), xml)
    return (
      `  <data type="${type}">\n    <checksum type="sha256">${checksum}</checksum>\n    <open-checksum type="sha256">${checksum}</open-checksum>\n` +
      `    <location href="repodata/${type}.xml"/>\n    <timestamp>0</timestamp>\n    <size>${Buffer.byteLength(xml)}</size>\n    <open-size>${Buffer.byteLength(xml)}</open-size>\n  </data>`
    )
  })
  writeFileSync(
    join(data, 'repomd.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">\n  <revision>0</revision>\n${entries.join('\n')}\n</repomd>\n`
  )
}

function contentType(file: string): string {
  if (file.endsWith('.xml')) return 'text/xml'
  if (file.endsWith('.rpm')) return 'application/x-rpm'
  if (file.endsWith('.gz')) return 'application/x-gzip'
  if (file.endsWith('.repo')) return 'text/plain'
  return 'application/octet-stream'
}
