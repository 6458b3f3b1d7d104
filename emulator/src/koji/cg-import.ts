/**
 * CGImport (kojihub's CG_Importer): a content generator's build with its metadata (version 0: build, buildroots,
 * output) and the outputs uploaded beforehand to the hub's work folder (`directory/filename`). Each output that is
 * not metadata-only must be there with the size and the checksum (md5 or sha256) the metadata gives, else the
 * import fails as Koji's does; the build is then COMPLETE, owned by the caller, with its outputs' bytes. Each output
 * but a log becomes an archive; its `rpm` components are matched by name, version, release and arch against the RPMs
 * the hub knows (CG_Importer.match_rpm: an unmatched one is ignored, as kojihub logs "IGNORING unmatched rpm
 * component"; a different sigmd5 is kept) and recorded as the archive's RPMs (archive_rpm_components, what
 * listRPMs(imageID=...) lists).
 */
import { createHash } from 'node:crypto'
import { BUILD_STATES, type KojiBuild, type KojiData, type KojiOutput } from './data.js'
import { genericError, KojiError } from './errors.js'
import type { XmlRpcValue } from './xmlrpc.js'

/** The content generators this hub knows (`koji grant-cg-access USER atomic-reactor`: any logged-in user). */
export const CONTENT_GENERATORS = ['atomic-reactor']

function metadataOf(metadata: XmlRpcValue): Record<string, any> {
  if (typeof metadata === 'string') {
    try {
      return JSON.parse(metadata) as Record<string, any>
    } catch (e) {
      throw genericError(`Unable to parse metadata: ${(e as Error).message}`)
    }
  }
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) throw genericError('Invalid metadata: a struct or its JSON')
  return metadata as Record<string, any>
}

function checkOutput(data: KojiData, directory: string, o: Record<string, any>): KojiOutput {
  for (const key of ['filename', 'filesize', 'checksum', 'checksum_type', 'type']) {
    if (o[key] === undefined) throw genericError(`Missing ${key} in output: ${JSON.stringify(o.filename ?? o)}`)
  }
  const { filename, filesize, checksum, checksum_type, type, arch, metadata_only, ...rest } = o
  let content: Buffer | undefined
  if (metadata_only !== true) {
    const path = `${directory}/${String(filename)}`
    content = data.uploads.get(path)
    if (!content) throw genericError(`No such file: ${path} (upload it to the hub first)`)
    if (content.length !== filesize) throw genericError(`File size ${content.length} for ${String(filename)} (expected ${String(filesize)}) doesn't match. Corrupted upload?`)
    if (checksum_type !== 'md5' && checksum_type !== 'sha256') throw genericError(`Unsupported checksum type: ${String(checksum_type)}`)
    const actual = createHash(checksum_type).update(content).digest('hex')
    if (actual !== checksum) throw genericError(`File checksum mismatch for ${String(filename)}: ${String(checksum)} != ${actual}`)
  }
  const rpmIds = matchComponents(data, rest.components)
  return { filename, type, arch: String(arch ?? 'noarch'), filesize, checksum, checksum_type, metadata: rest, content, ...(type === 'log' ? {} : { rpmIds }) }
}

/** CG_Importer.match_components: the ids of the `rpm` components the hub knows; `file` ones are not looked up here. */
function matchComponents(data: KojiData, components: unknown): number[] {
  const ids: number[] = []
  for (const comp of Array.isArray(components) ? (components as Record<string, unknown>[]) : []) {
    if (comp.type === 'rpm') {
      if ('location' in comp) throw genericError('External rpms not allowed')
      if ('id' in comp) throw genericError("Unexpected 'id' field in component")
      const rpm = data.rpm(comp)
      if (rpm && !ids.includes(rpm.id)) ids.push(rpm.id)
    } else if (comp.type !== 'file' && comp.type !== 'kojifile') throw genericError(`No such component type: ${String(comp.type)}`)
  }
  return ids
}

export function cgImport(data: KojiData, user: string, metadataValue: XmlRpcValue, directory: string): KojiBuild {
  const metadata = metadataOf(metadataValue)
  if (metadata.metadata_version !== 0) throw genericError(`No such metadata version: ${JSON.stringify(metadata.metadata_version)}`)
  const build = metadata.build as Record<string, any> | undefined
  if (!build || typeof build.name !== 'string' || typeof build.version !== 'string' || typeof build.release !== 'string') {
    throw genericError('CGImport: metadata.build needs name, version and release')
  }
  const buildroots = Array.isArray(metadata.buildroots) ? (metadata.buildroots as Record<string, any>[]) : []
  for (const br of buildroots) {
    const cg = br?.content_generator?.name
    if (!CONTENT_GENERATORS.includes(cg)) throw new KojiError(1000, 'GenericError', `No such content generator: ${String(cg)}`)
  }
  if (!Array.isArray(metadata.output)) throw genericError('CGImport: metadata.output is a list')
  const outputs = (metadata.output as Record<string, any>[]).map((o) => checkOutput(data, directory, o))
  for (const o of outputs) if (o.type !== 'log') o.archiveId = data.nextArchiveId()
  const cgName = buildroots[0]?.content_generator?.name ?? CONTENT_GENERATORS[0]
  const added = data.addBuild({
    name: build.name,
    version: build.version,
    release: build.release,
    state: BUILD_STATES.COMPLETE,
    source: typeof build.source === 'string' ? build.source : null,
    extra: build.extra && typeof build.extra === 'object' ? (build.extra as Record<string, unknown>) : null,
    cgName,
    owner: user,
    startTime: typeof build.start_time === 'number' ? build.start_time : null,
    completionTime: typeof build.end_time === 'number' ? build.end_time : Date.now() / 1000,
    metadata,
    outputs
  })
  for (const o of outputs) data.uploads.delete(`${directory}/${o.filename}`)
  return added
}
