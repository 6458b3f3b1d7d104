/**
 * koji_promote's content generator metadata (version 0), as exit_koji_promote.py's get_metadata builds it: the
 * build (N-V-R from the final Dockerfile's labels, `source` URI#commit, start and end times, `extra`), one buildroot
 * (the builder: host, atomic-reactor as the content generator, tools, its RPMs, the OpenShift build), and the
 * outputs — the build's log from OpenShift (`openshift-final.log`), docker's output (`build.log`) and the exported
 * image (`docker-image-ID.ARCH.EXT`) with its components, repositories, tags and config — each with the bytes to
 * upload and their size and md5.
 *
 * What the imitation cannot know as the real one does: the buildroot's RPMs (`rpm -qa` in the builder: none here,
 * Debian's rpm has no database, the same answer the real reactor gets on this machine), the tools' versions
 * (those of this machine's Python libraries, as constants), and the exported image's bytes: compress records the
 * image's size without writing it (post_compress.ts), so a stand-in for the file is uploaded (gzip of its
 * description), and the output's size and checksum are the stand-in's.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import { HOST_ARCH } from '../../koji/data.js'
import type { Workflow } from '../workflow.js'
import { dockerfileParse } from './dockerfile-parse.js'
import type { ImageName } from './imagename.js'
import { PyException } from './py.js'

/** One file of the import: its metadata (filename, filesize, checksum ...), where the real plugin has it, its bytes. */
export interface KojiOutputFile {
  metadata: Record<string, unknown>
  localPath: string
  content: Buffer
}

/** all_rpm_packages's query (PostBuildRPMqaPlugin.rpm_tags, separator `;`). */
const RPM_TAGS = ['NAME', 'VERSION', 'RELEASE', 'ARCH', 'EPOCH', 'SIGMD5', 'SIGPGP:pgpsig', 'SIGGPG:pgpsig']

/** KojiPromotePlugin.parse_rpm_output: `rpm -qa --qf` lines as the metadata's rpm components (gpg-pubkey left out). */
export function parseRpmOutput(output: string[], tags = RPM_TAGS, separator = ';'): Record<string, unknown>[] {
  const components: Record<string, unknown>[] = []
  for (const rpm of output) {
    const fields = rpm.replace(/\n+$/, '').split(separator)
    if (fields.length < tags.length) continue
    const field = (tag: string) => {
      const i = tags.indexOf(tag)
      const v = i < 0 ? undefined : fields[i]
      return v === undefined || v === '(none)' ? null : v
    }
    let signature = field('SIGPGP:pgpsig') ?? field('SIGGPG:pgpsig')
    if (signature && signature.includes('Key ID ')) signature = signature.slice(signature.indexOf('Key ID ') + 'Key ID '.length)
    const epoch = field('EPOCH')
    const c = {
      type: 'rpm',
      name: field('NAME'),
      version: field('VERSION'),
      release: field('RELEASE'),
      arch: field('ARCH'),
      sigmd5: field('SIGMD5'),
      signature,
      epoch: epoch === null ? null : Number(epoch)
    }
    if (c.name !== 'gpg-pubkey') components.push(c)
  }
  return components
}

/** get_preferred_label: the label, or its other spelling (BZComponent, Version, Release). */
function preferredLabel(labels: Record<string, string>, name: string): string | undefined {
  const other: Record<string, string> = { 'com.redhat.component': 'BZComponent', version: 'Version', release: 'Release' }
  return labels[name] ?? (other[name] ? labels[other[name]] : undefined)
}

/** The os of the builder's docker (`docker info`'s OperatingSystem): /etc/os-release's ID. */
function operatingSystem(): string {
  try {
    return /^ID=("?)([^"\n]*)\1$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[2] ?? 'linux'
  } catch {
    return 'linux'
  }
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex')

/** tempfile.NamedTemporaryFile's name: TMPDIR/PREFIX + 8 characters + SUFFIX. */
const tempName = (prefix: string, suffix: string) => `${tmpdir()}/${prefix}${randomBytes(6).toString('base64url').toLowerCase().slice(0, 8)}${suffix}`

/** get_output_metadata: filename, size and md5 (atomic_reactor.util's get_checksums logs the sum). */
function outputFile(wf: Workflow, localPath: string, filename: string, content: Buffer, metadataOnly: boolean): KojiOutputFile {
  const sum = md5(content)
  wf.log.logger('atomic_reactor.util').debug(`md5sum: ${sum}`)
  const metadata: Record<string, unknown> = { filename, filesize: content.length, checksum: sum, checksum_type: 'md5' }
  if (metadataOnly) metadata.metadata_only = true
  return { metadata, localPath, content }
}

/** docker's output of the build step: what docker_api logged between `wait_for_command` and `no more logs`. */
function dockerBuildLogs(wf: Workflow): string[] {
  const start = wf.logLines.findIndex((l) => l.endsWith(' - atomic_reactor.util - INFO - wait_for_command'))
  if (start < 0) return []
  const out: string[] = []
  for (const line of wf.logLines.slice(start + 1)) {
    if (line.endsWith(' - atomic_reactor.util - INFO - no more logs')) break
    const m = / - atomic_reactor\.util - \w+ - (.*)$/.exec(line)
    out.push(m ? m[1]! : line)
  }
  return out
}

function buildSection(wf: Workflow, metadataOnly: boolean): Record<string, unknown> {
  const labels = dockerfileParse(wf.dockerfile).labels
  const log = wf.log.logger('atomic_reactor.plugins.koji_promote')
  const extra: Record<string, any> = { image: { autorebuild: wf.isRebuild } }
  const taskId = wf.build.metadata.labels?.['koji-task-id']
  if (taskId !== undefined) {
    log.info(`build configuration created by Koji Task ID ${taskId}`)
    if (/^\s*[-+]?\d+\s*$/.test(taskId)) extra.container_koji_task_id = Number(taskId)
    else log.error(`invalid task ID '${taskId}'`)
  }
  const help = wf.results.get('add_help') as { help_file?: string; status?: number } | undefined
  if (help && typeof help === 'object' && 'help_file' in help && 'status' in help) {
    if (help.status === 1) extra.image.help = null
    else if (help.status === 2) extra.image.help = help.help_file
    else log.error(`Unknown result from add_help plugin: ${JSON.stringify(help)}`)
  }
  const build: Record<string, unknown> = {
    name: preferredLabel(labels, 'com.redhat.component') ?? null,
    version: preferredLabel(labels, 'version') ?? null,
    release: preferredLabel(labels, 'release') ?? null,
    source: `${wf.host.env['SOURCE_URI'] ?? ''}#${wf.commitId}`,
    start_time: Math.floor(wf.startedAt.getTime() / 1000),
    end_time: Math.floor(Date.now() / 1000),
    extra
  }
  if (metadataOnly) build.metadata_only = true
  return build
}

function buildroot(wf: Workflow): Record<string, unknown> {
  return {
    id: 1,
    host: { os: operatingSystem(), arch: HOST_ARCH },
    content_generator: { name: 'atomic-reactor', version: '1.6.26.3' },
    container: { type: 'docker', arch: HOST_ARCH },
    tools: [
      { name: 'docker-py', version: '5.0.3' },
      { name: 'atomic_reactor', version: '1.6.26.3' },
      { name: 'osbs-client', version: '0.43.dev' },
      { name: 'docker', version: '4.3.1' }
    ],
    components: [],
    extra: { osbs: { build_id: wf.buildName, builder_image_id: wf.host.env['OPENSHIFT_CUSTOM_BUILD_BASE_IMAGE'] ?? '' } }
  }
}

/** The image output's `extra.docker`: id, parent, the repositories (pullspecs and digests), primary tags, config. */
function dockerExtra(wf: Workflow, pullspecImage: ImageName): Record<string, unknown> {
  const pulp = wf.pushConf.pulp.length > 0
  const digests = new Map<string, string>()
  for (const reg of wf.pushConf.docker) {
    for (const image of wf.images) {
      const d = reg.digests.get(`${image.repository}:${image.tag ?? 'latest'}`)
      if (d) digests.set(image.toString({ registry: false }), pulp ? d.v1 : d.v2)
    }
  }
  const registries = pulp ? wf.pushConf.pulp.map((r) => r.uri) : [...wf.pushConf.docker.map((r) => r.uri), ...wf.pushConf.pulp.map((r) => r.uri)]
  const repositories: string[] = []
  for (const uri of registries) {
    const image = pullspecImage.copy({ registry: uri })
    repositories.push(image.toString())
    const digest = digests.get(image.toString({ registry: false }))
    if (digest) repositories.push(`${image.toString({ tag: false })}@${digest}`)
  }
  const built = wf.builtImage
  const docker: Record<string, unknown> = { id: wf.imageId, parent_id: wf.baseImageId, repositories, tags: [...new Set(wf.tagConf.primary.map((i) => i.tag))] }
  if (wf.pushConf.docker.length && built) {
    docker.config = { architecture: built.architecture ?? 'amd64', os: 'linux', created: built.created, config: { Labels: built.labels }, rootfs: { type: 'layers', diff_ids: built.layers ?? [] } }
  }
  return docker
}

/** get_metadata: the metadata and the files to upload; `metadataOnly` as the plugin's metadata_only. */
export function kojiMetadata(wf: Workflow, metadataOnly: boolean): { metadata: Record<string, unknown>; files: KojiOutputFile[] } {
  let pullspec: ImageName | undefined = wf.tagConf.unique[0]
  const dashed = wf.tagConf.primary.find((i) => (i.tag ?? '').slice(1, -1).includes('-'))
  if (dashed) pullspec = dashed
  if (!pullspec) throw new PyException('RuntimeError', 'Unable to determine pullspec_image')
  const log = wf.log.logger('atomic_reactor.plugins.koji_promote')
  const build = buildSection(wf, metadataOnly)
  const root = buildroot(wf)
  const logs = [
    outputFile(wf, tempName(wf.buildName, '.log'), 'openshift-final.log', Buffer.from(wf.logLines.join('\n') + '\n'), metadataOnly),
    outputFile(wf, tempName(`docker-${wf.buildName}`, '.log'), 'build.log', Buffer.from(dockerBuildLogs(wf).join('\n')), metadataOnly)
  ]
  for (const l of logs) Object.assign(l.metadata, { buildroot_id: 1, type: 'log', arch: 'noarch' })
  const exported = wf.exportedImages[wf.exportedImages.length - 1]
  if (!exported) throw new PyException('IndexError', 'list index out of range')
  const ext = exported.path.split('.').slice(1).join('.')
  const name = `docker-image-${wf.imageId}.${HOST_ARCH}.${ext}`
  const content = metadataOnly
    ? Buffer.alloc(0)
    : existsSync(exported.path)
      ? readFileSync(exported.path)
      : gzipSync(Buffer.from(JSON.stringify({ image: wf.imageId, layers: wf.builtImage?.layers ?? [], exported: exported.path })))
  const image = outputFile(wf, exported.path, name, content, metadataOnly)
  const rpmqa = wf.results.get('all_rpm_packages')
  let components: Record<string, unknown>[] = []
  if (rpmqa === undefined) log.error('all_rpm_packages plugin did not run!')
  else components = parseRpmOutput(Array.isArray(rpmqa) ? (rpmqa as string[]) : [])
  Object.assign(image.metadata, { arch: HOST_ARCH, type: 'docker-image', components, extra: { image: { arch: HOST_ARCH }, docker: dockerExtra(wf, pullspec) }, buildroot_id: 1 })
  const files = [...logs, image]
  return { metadata: { metadata_version: 0, build, buildroots: [root], output: files.map((f) => f.metadata) }, files }
}
