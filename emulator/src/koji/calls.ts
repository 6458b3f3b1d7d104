/**
 * The XML-RPC calls of the local Koji hub, with Koji 1.35's argument shapes (keyword arguments come as a last
 * struct with `__starstar`, koji.decode_args) and its answers (kojihub's get_build, get_tag, get_build_target,
 * get_repo, get_task_info, cg_import, tag_build ...), over KojiData. Only the calls atomic-reactor 1.6.26.3's Koji
 * plugins (bump_release, koji, koji_parent, koji_promote, koji_tag_build), the action's RPM count (listArchives,
 * listRPMs: the image archives `koji buildinfo` lists, and their RPMs as kojiweb's rpmlist page asks) and a test's look make; any other is Koji's
 * "Invalid method" fault.
 */
import { createHash } from 'node:crypto'
import { BUILD_STATES, type KojiData, REPO_STATES, TASK_STATES, incrementRelease, nvrOf, type KojiBuild, type KojiTag } from './data.js'
import { actionNotAllowed, genericError, KojiError } from './errors.js'
import { cgImport } from './cg-import.js'
import type { XmlRpcValue } from './xmlrpc.js'

/** Who calls: the logged-in user of the call's session, if any. */
export interface CallContext {
  user: string | undefined
}

type Struct = Record<string, XmlRpcValue>

/** koji.decode_args2: positional parameters by name, then the `__starstar` keyword struct. */
export function namedArgs(params: XmlRpcValue[], names: string[]): Struct {
  let args = params
  let opts: Struct = {}
  const last = params[params.length - 1]
  if (last && typeof last === 'object' && !Array.isArray(last) && last.__starstar === true) {
    opts = { ...last }
    delete opts.__starstar
    args = params.slice(0, -1)
  }
  if (args.length > names.length) throw new KojiError(1000, 'GenericError', `Expecting at most ${names.length} arguments`)
  const out: Struct = {}
  names.forEach((n, i) => {
    if (i < args.length) out[n] = args[i]!
  })
  return { ...out, ...opts }
}

const ts = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000).toISOString().replace('T', ' ').replace('Z', '+00:00'))

/** kojihub get_build's answer. */
export function buildInfo(b: KojiBuild): Struct {
  return {
    id: b.id,
    build_id: b.id,
    package_id: 1,
    package_name: b.name,
    name: b.name,
    version: b.version,
    release: b.release,
    epoch: null,
    nvr: nvrOf(b),
    state: b.state,
    draft: false,
    task_id: null,
    owner_id: 1,
    owner_name: b.owner,
    volume_id: 0,
    volume_name: 'DEFAULT',
    source: b.source,
    extra: (b.extra as Struct | null) ?? null,
    cg_id: b.cgName ? 1 : null,
    cg_name: b.cgName,
    start_time: ts(b.startTime),
    start_ts: b.startTime,
    creation_time: ts(b.completionTime),
    creation_ts: b.completionTime,
    completion_time: ts(b.completionTime),
    completion_ts: b.completionTime
  }
}

function tagInfo(t: KojiTag): Struct {
  return { id: t.id, name: t.name, arches: t.arches, locked: t.locked, perm: null, perm_id: null, maven_support: false, maven_include_all: false, extra: {} }
}

/** kojihub's context.session.assertLogin(). */
function requireLogin(ctx: CallContext): string {
  if (!ctx.user) throw actionNotAllowed('you must be logged in for this operation')
  return ctx.user
}

/** kojihub tag_build: a tagBuild task; the hub runs it at once (no builder needed), so it is finished when returned. */
function tagBuild(data: KojiData, ctx: CallContext, a: Struct): number {
  const user = requireLogin(ctx)
  const tag = data.tag(a.tag)
  if (!tag) throw genericError(`No such tagInfo: ${JSON.stringify(a.tag)}`)
  const build = data.build(a.build)
  if (!build) throw genericError(`No such build: ${JSON.stringify(a.build)}`)
  const task = data.addTask('tagBuild', user, [tag.id, build.id, a.force === true, a.fromtag ?? null, true])
  task.state = TASK_STATES.OPEN
  task.completionTs = Date.now() / 1000
  if (tag.locked) {
    task.state = TASK_STATES.FAILED
    task.result = { faultCode: 1003, faultString: `tag ${tag.name} is locked` }
  } else if (data.tagged.some((t) => t.tagId === tag.id && t.buildId === build.id)) {
    task.state = TASK_STATES.FAILED
    task.result = { faultCode: 1003, faultString: `build ${nvrOf(build)} already tagged (${tag.name})` }
  } else if (build.state !== BUILD_STATES.COMPLETE) {
    task.state = TASK_STATES.FAILED
    task.result = { faultCode: 1003, faultString: `build ${nvrOf(build)} not complete: state ${build.state}` }
  } else {
    data.tagged.push({ tagId: tag.id, buildId: build.id, event: data.nextEvent() })
    task.state = TASK_STATES.CLOSED
  }
  return task.id
}

/** Koji's checkUpload answer for a file of the work folder: its size, and its adler32 when asked to verify. */
function uploadInfo(content: Buffer, verify: XmlRpcValue | undefined): Struct {
  const info: Struct = { size: content.length, mtime: Date.now() / 1000 }
  if (verify === 'adler32') info.hexdigest = adler32(content)
  else if (typeof verify === 'string' && verify) info.hexdigest = createHash(verify).update(content).digest('hex')
  return info
}

/**
 * Adler-32 as `%08x`, what koji.util.adler32_constructor gives (fastUpload verifies each chunk with it): node has
 * no Adler-32 (zlib's is not exported), and the sum is ten lines.
 */
export function adler32(data: Buffer): string {
  let a = 1
  let b = 0
  for (let i = 0; i < data.length;) {
    const end = Math.min(i + 3800, data.length)
    for (; i < end; i++) {
      a += data[i]!
      b += a
    }
    a %= 65521
    b %= 65521
  }
  return ((b * 65536 + a) >>> 0).toString(16).padStart(8, '0')
}

const LIST_ARCHIVES_ARGS = [
  'buildID',
  'buildrootID',
  'componentBuildrootID',
  'hostID',
  'type',
  'filename',
  'size',
  'checksum',
  'checksum_type',
  'typeInfo',
  'queryOpts',
  'imageID',
  'archiveID',
  'strict'
]

/**
 * kojihub list_archives over the imported builds' archives (every output but the logs): by buildID, archiveID,
 * filename; `type` 'image' (a content generator's docker-image output, image_archives) adds the image's arch; 'maven'
 * and 'win' have none here; `strict` with nothing found is Koji's "No archives found.".
 */
function listArchives(data: KojiData, a: Struct): Struct[] {
  if (a.type !== undefined && a.type !== null && !['image', 'maven', 'win'].includes(String(a.type))) throw genericError(`unsupported archive type: ${String(a.type)}`)
  const found: Struct[] = []
  for (const build of data.builds) {
    if (a.buildID !== undefined && a.buildID !== null && build.id !== a.buildID) continue
    for (const o of build.outputs) {
      if (o.archiveId === undefined || (a.archiveID != null && o.archiveId !== a.archiveID) || (a.filename != null && o.filename !== a.filename)) continue
      if (a.type != null && a.type !== 'image') continue
      const archive: Struct = {
        id: o.archiveId,
        type_name: 'tar',
        btype: 'image',
        build_id: build.id,
        buildroot_id: typeof o.metadata.buildroot_id === 'number' ? o.metadata.buildroot_id : null,
        filename: o.filename,
        size: o.filesize,
        checksum: o.checksum,
        checksum_type: o.checksum_type === 'md5' ? 0 : 2,
        metadata_only: o.content === undefined,
        extra: (o.metadata.extra as Struct | undefined) ?? null
      }
      found.push(a.type === 'image' ? { ...archive, arch: o.arch } : archive)
    }
  }
  if (a.strict === true && !found.length) throw genericError('No archives found.')
  return found
}

/** kojihub list_rpms: the RPMs of a build (buildID) and the RPM components of an archive (imageID, archive_rpm_components). */
function listRpms(data: KojiData, a: Struct): Struct[] {
  const inImage = a.imageID != null ? (data.archive(a.imageID)?.output.rpmIds ?? []) : undefined
  return data.rpms
    .filter((r) => (a.buildID == null || r.buildId === a.buildID) && (inImage === undefined || inImage.includes(r.id)))
    .filter((r) => a.arches == null || (Array.isArray(a.arches) ? a.arches.includes(r.arch) : r.arch === a.arches))
    .map((r) => ({
      id: r.id,
      name: r.name,
      version: r.version,
      release: r.release,
      nvr: `${r.name}-${r.version}-${r.release}`,
      arch: r.arch,
      epoch: r.epoch,
      draft: false,
      payloadhash: r.payloadhash,
      size: r.size,
      buildtime: r.buildtime,
      build_id: r.buildId,
      buildroot_id: null,
      external_repo_id: 0,
      external_repo_name: 'INTERNAL',
      metadata_only: false,
      extra: null
    }))
}

/**
 * One call: the answer, or a KojiError (the fault).
 * Why this function is long: one case per XML-RPC call, each a few lines reading its arguments as Koji names
 * them; a table of closures would hold the same lines.
 */
export function kojiMethod(data: KojiData, ctx: CallContext, method: string, params: XmlRpcValue[]): XmlRpcValue {
  switch (method) {
    case 'hello':
      return 'Hello World!'
    case 'getAPIVersion':
      return 1
    case 'getKojiVersion':
      return '1.35.3'
    case 'getLoggedInUser':
      return ctx.user ? { id: 1, name: ctx.user, status: 0, usertype: 0, krb_principals: [], krb_principal: null, authtype: 1 } : null
    case 'getNextRelease': {
      const info = namedArgs(params, ['build_info', 'incr']).build_info as Struct | null
      if (!info || typeof info !== 'object' || typeof info.name !== 'string' || typeof info.version !== 'string') throw genericError('getNextRelease: build_info needs name and version')
      const states: number[] = [BUILD_STATES.COMPLETE, BUILD_STATES.DELETED, BUILD_STATES.BUILDING]
      const last = [...data.builds].reverse().find((b) => b.name === info.name && b.version === info.version && states.includes(b.state))
      return last ? incrementRelease(last.release) : '1'
    }
    case 'getBuild': {
      const a = namedArgs(params, ['buildInfo', 'strict'])
      const found = data.build(a.buildInfo)
      if (!found && a.strict === true) throw genericError(`No such build: ${JSON.stringify(a.buildInfo)}`)
      return found ? buildInfo(found) : null
    }
    case 'getBuildTarget': {
      const a = namedArgs(params, ['info', 'event', 'strict'])
      const t = data.target(a.info)
      if (!t) {
        if (a.strict === true) throw genericError(`No such build target: ${String(a.info)}`)
        return null
      }
      const build = data.tag(t.buildTag)!
      const dest = data.tag(t.destTag)!
      return { id: t.id, name: t.name, build_tag: build.id, build_tag_name: build.name, dest_tag: dest.id, dest_tag_name: dest.name }
    }
    case 'getTag': {
      const a = namedArgs(params, ['tagInfo', 'strict', 'event', 'blocked'])
      const t = data.tag(a.tagInfo)
      if (!t && a.strict === true) throw genericError(`No such tagInfo: ${JSON.stringify(a.tagInfo)}`)
      return t ? tagInfo(t) : null
    }
    case 'getRepo': {
      const a = namedArgs(params, ['tag', 'state', 'event', 'dist'])
      const t = data.tag(a.tag)
      if (!t) throw genericError(`No such tagInfo: ${JSON.stringify(a.tag)}`)
      const r = data.repo(t.id, typeof a.state === 'number' ? a.state : REPO_STATES.READY)
      return r ? { id: r.id, state: r.state, task_id: null, create_event: r.createEvent, create_ts: r.createTs, creation_time: ts(r.createTs), dist: false } : null
    }
    case 'listTagged': {
      const a = namedArgs(params, ['tag', 'event', 'inherit', 'prefix', 'latest', 'package', 'owner', 'type'])
      const t = data.tag(a.tag)
      if (!t) throw genericError(`No such tagInfo: ${JSON.stringify(a.tag)}`)
      return data.taggedBuilds(t.id).map((b) => ({ ...buildInfo(b), tag_id: t.id, tag_name: t.name }))
    }
    case 'listTags': {
      const build = data.build(namedArgs(params, ['build', 'package']).build)
      return build ? data.tagged.filter((x) => x.buildId === build.id).map((x) => tagInfo(data.tag(x.tagId)!)) : data.tags.map(tagInfo)
    }
    case 'listArchives':
      return listArchives(data, namedArgs(params, LIST_ARCHIVES_ARGS))
    case 'listRPMs':
      return listRpms(data, namedArgs(params, ['buildID', 'buildrootID', 'imageID', 'componentBuildrootID', 'hostID', 'arches', 'queryOpts', 'draft']))
    case 'checkUpload': {
      requireLogin(ctx)
      const a = namedArgs(params, ['path', 'name', 'verify', 'tail', 'volume'])
      const content = data.uploads.get(`${String(a.path)}/${String(a.name)}`)
      return content ? uploadInfo(content, a.verify) : null
    }
    case 'uploadFile': {
      requireLogin(ctx)
      const a = namedArgs(params, ['path', 'name', 'size', 'md5sum', 'offset', 'data', 'volume', 'checksum'])
      const key = `${String(a.path)}/${String(a.name)}`
      const chunk = Buffer.from(String(a.data), 'base64')
      const offset = Number(a.offset)
      const have = data.uploads.get(key) ?? Buffer.alloc(0)
      if (offset === -1) {
        const [type, digest] = Array.isArray(a.md5sum) ? (a.md5sum as string[]) : ['md5', String(a.md5sum)]
        if (have.length !== Number(a.size)) throw genericError(`Upload of ${key} is incomplete: ${have.length} != ${String(a.size)}`)
        return createHash(String(type)).update(have).digest('hex') === digest
      }
      data.uploads.set(key, Buffer.concat([have.subarray(0, offset), chunk]))
      return true
    }
    case 'CGImport': {
      const user = requireLogin(ctx)
      const a = namedArgs(params, ['metadata', 'directory', 'token'])
      return buildInfo(cgImport(data, user, a.metadata, String(a.directory)))
    }
    case 'tagBuild':
      return tagBuild(data, ctx, namedArgs(params, ['tag', 'build', 'force', 'fromtag']))
    case 'getTaskInfo': {
      const a = namedArgs(params, ['task_id', 'request', 'strict'])
      const task = data.tasks.find((t) => t.id === a.task_id)
      if (!task) {
        if (a.strict === true) throw genericError(`No such task: ${String(a.task_id)}`)
        return null
      }
      const info: Struct = {
        id: task.id,
        method: task.method,
        state: task.state,
        owner: 1,
        owner_name: task.owner,
        arch: 'noarch',
        label: null,
        parent: null,
        priority: 10,
        weight: 0.1,
        channel_id: 1,
        host_id: null,
        create_ts: task.createTs,
        create_time: ts(task.createTs),
        start_ts: task.createTs,
        start_time: ts(task.createTs),
        completion_ts: task.completionTs,
        completion_time: ts(task.completionTs)
      }
      if (a.request === true) info.request = task.request as XmlRpcValue[]
      return info
    }
    case 'taskFinished': {
      const id = namedArgs(params, ['taskId']).taskId
      const task = data.tasks.find((t) => t.id === id)
      if (!task) throw genericError(`No such task id: ${String(id)}`)
      return ([TASK_STATES.CLOSED, TASK_STATES.CANCELED, TASK_STATES.FAILED] as number[]).includes(task.state)
    }
    default:
      throw genericError(`Invalid method: ${method}`)
  }
}
