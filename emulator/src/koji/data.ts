/**
 * What the local Koji hub keeps, as Koji's database has it: builds (with the outputs a content generator imported,
 * their bytes and checksums), tags and the builds tagged into them, build targets, the build tags' repos, tasks,
 * and the files uploaded to the hub's work folder. Plain data and the rules over it; the XML-RPC calls are in
 * calls.ts, the server in hub.ts.
 */
import type { RpmHeader } from '../yum/rpm.js'
import { KojiError } from './errors.js'

/** koji.BUILD_STATES */
export const BUILD_STATES = { BUILDING: 0, COMPLETE: 1, DELETED: 2, FAILED: 3, CANCELED: 4 } as const
/** koji.TASK_STATES */
export const TASK_STATES = { FREE: 0, OPEN: 1, CLOSED: 2, CANCELED: 3, ASSIGNED: 4, FAILED: 5 } as const
/** koji.REPO_STATES */
export const REPO_STATES = { INIT: 0, READY: 1, EXPIRED: 2, DELETED: 3, PROBLEM: 4 } as const

/** One file of a build: a content generator's output (`type` 'log', 'docker-image', ...), with its bytes. */
export interface KojiOutput {
  filename: string
  type: string
  arch: string
  filesize: number
  checksum: string
  checksum_type: string
  /** what the output's metadata said besides the above (components, extra, buildroot_id) */
  metadata: Record<string, unknown>
  /** the uploaded bytes; undefined for a metadata-only output */
  content: Buffer | undefined
  /** the archive's id (archiveinfo.id); none for a log */
  archiveId?: number
  /** the RPMs its `rpm` components matched (archive_rpm_components) */
  rpmIds?: number[]
}

/** An RPM the hub knows (rpminfo): its header's fields, built in or imported into one of its builds. */
export interface KojiRpm extends RpmHeader {
  id: number
  buildId: number | null
}

export interface KojiBuild {
  id: number
  name: string
  version: string
  release: string
  state: number
  /** the source URL#commit the import named */
  source: string | null
  /** the build's `extra` (image.autorebuild, container_koji_task_id, ...) */
  extra: Record<string, unknown> | null
  /** the content generator that imported it; null for a build recorded without an import */
  cgName: string | null
  owner: string
  startTime: number | null
  completionTime: number
  /** the whole metadata of the CGImport (buildroots, output), as sent */
  metadata: Record<string, unknown> | null
  outputs: KojiOutput[]
}

export interface KojiTag {
  id: number
  name: string
  arches: string
  locked: boolean
}

export interface KojiTarget {
  id: number
  name: string
  buildTag: number
  destTag: number
}

export interface KojiRepo {
  id: number
  tagId: number
  state: number
  createEvent: number
  createTs: number
}

export interface KojiTask {
  id: number
  method: string
  state: number
  owner: string
  request: unknown[]
  createTs: number
  completionTs: number | null
  /** the fault of a failed task */
  result: { faultCode: number; faultString: string } | null
}

export interface KojiTagging {
  tagId: number
  buildId: number
  event: number
}

/** This machine's architecture as Koji names it (a tag's arches, the repos' `$basearch`). */
export const HOST_ARCH = ({ x64: 'x86_64', arm64: 'aarch64', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch

const genericError = (message: string) => new KojiError(1000, 'GenericError', message)

/** Next release after `release` (Koji's get_next_release: digits, or a trailing `.N`, are incremented). */
export function incrementRelease(release: string | undefined): string {
  if (!release) return '1'
  if (/^\d+$/.test(release)) return String(Number(release) + 1)
  const m = /^(.*\.)(\d+)$/.exec(release)
  if (m) return `${m[1]}${Number(m[2]) + 1}`
  throw new KojiError(1005, 'BuildError', `Unable to increment release value: ${release}`)
}

export const nvrOf = (b: { name: string; version: string; release: string }) => `${b.name}-${b.version}-${b.release}`

export class KojiData {
  readonly builds: KojiBuild[] = []
  readonly tags: KojiTag[] = []
  readonly targets: KojiTarget[] = []
  readonly repos: KojiRepo[] = []
  readonly tasks: KojiTask[] = []
  readonly tagged: KojiTagging[] = []
  readonly rpms: KojiRpm[] = []
  private archives = 0
  /** the hub's work folder: `dir/name` → uploaded bytes */
  readonly uploads = new Map<string, Buffer>()
  private event = 1

  nextEvent(): number {
    return ++this.event
  }

  /** A tag by name or id (get_tag); undefined when there is none. */
  tag(ref: unknown): KojiTag | undefined {
    if (typeof ref === 'number') return this.tags.find((t) => t.id === ref)
    if (typeof ref === 'string') return this.tags.find((t) => t.name === ref)
    if (ref && typeof ref === 'object') return this.tag((ref as { id?: unknown; name?: unknown }).id ?? (ref as { name?: unknown }).name)
    return undefined
  }

  /** A tag, made (with a ready repo) when it does not exist yet. */
  ensureTag(name: string, arches = HOST_ARCH): KojiTag {
    const existing = this.tag(name)
    if (existing) return existing
    const tag: KojiTag = { id: this.tags.length + 1, name, arches, locked: false }
    this.tags.push(tag)
    this.repos.push({ id: this.repos.length + 1, tagId: tag.id, state: REPO_STATES.READY, createEvent: this.nextEvent(), createTs: Date.now() / 1000 })
    return tag
  }

  /** A build target (`koji add-target NAME BUILD_TAG DEST_TAG`); its tags are made when missing. */
  addTarget(name: string, buildTag = `${name}-build`, destTag = name): KojiTarget {
    if (this.target(name)) throw genericError(`A build target with the name '${name}' already exists`)
    const target: KojiTarget = { id: this.targets.length + 1, name, buildTag: this.ensureTag(buildTag).id, destTag: this.ensureTag(destTag).id }
    this.targets.push(target)
    return target
  }

  target(ref: unknown): KojiTarget | undefined {
    if (typeof ref === 'number') return this.targets.find((t) => t.id === ref)
    if (typeof ref === 'string') return this.targets.find((t) => t.name === ref)
    return undefined
  }

  /** The newest repo of a tag in `state` (default READY). */
  repo(tagId: number, state: number = REPO_STATES.READY): KojiRepo | undefined {
    return [...this.repos].reverse().find((r) => r.tagId === tagId && r.state === state)
  }

  /** A build by id, N-V-R string or {name, version, release} (get_build). */
  build(ref: unknown): KojiBuild | undefined {
    if (typeof ref === 'number') return this.builds.find((b) => b.id === ref)
    if (typeof ref === 'string') return /^\d+$/.test(ref) ? this.build(Number(ref)) : this.builds.find((b) => nvrOf(b) === ref)
    if (ref && typeof ref === 'object' && !Array.isArray(ref)) {
      const r = ref as Record<string, unknown>
      if (typeof r.id === 'number' || typeof r.build_id === 'number') return this.build(r.id ?? r.build_id)
      return this.builds.find((b) => b.name === r.name && b.version === r.version && b.release === r.release)
    }
    return undefined
  }

  /** The next archive id (archiveinfo.id). */
  nextArchiveId(): number {
    return ++this.archives
  }

  /** An RPM by name, version, release and arch (get_rpm of a map, as CGImport's match_rpm asks). */
  rpm(ref: { name?: unknown; version?: unknown; release?: unknown; arch?: unknown }): KojiRpm | undefined {
    return this.rpms.find((r) => r.name === ref.name && r.version === ref.version && r.release === ref.release && r.arch === ref.arch)
  }

  /** The archive (an imported build's output) of an id, with its build. */
  archive(id: unknown): { build: KojiBuild; output: KojiOutput } | undefined {
    for (const build of this.builds) {
      const output = build.outputs.find((o) => o.archiveId !== undefined && o.archiveId === id)
      if (output) return { build, output }
    }
    return undefined
  }

  /**
   * `koji import` of a binary RPM (import_rpm): its build N-V-R made when the hub has none, and the RPM recorded in
   * it. Koji refuses an RPM it has already.
   */
  importRpm(header: Omit<KojiRpm, 'id' | 'buildId'>): KojiRpm {
    if (this.rpm(header)) throw genericError(`RPM already exists: ${header.name}-${header.version}-${header.release}.${header.arch}`)
    const build = this.build(header) ?? this.addBuild({ name: header.name, version: header.version, release: header.release })
    const rpm: KojiRpm = { ...header, id: this.rpms.length + 1, buildId: build.id }
    this.rpms.push(rpm)
    return rpm
  }

  /** Add a build; Koji refuses a second build of an N-V-R. */
  addBuild(b: Partial<KojiBuild> & { name: string; version: string; release: string }): KojiBuild {
    const existing = this.build(b)
    if (existing) throw genericError(`Build already exists (id=${existing.id}, state=${stateName(existing.state)}): {'name': '${b.name}', 'version': '${b.version}', 'release': '${b.release}'}`)
    const build: KojiBuild = {
      id: this.builds.length + 1,
      state: BUILD_STATES.COMPLETE,
      source: null,
      extra: null,
      cgName: null,
      owner: 'osbs',
      startTime: null,
      completionTime: Date.now() / 1000,
      metadata: null,
      outputs: [],
      ...b
    }
    this.builds.push(build)
    return build
  }

  /** The builds tagged into a tag, newest tagging first (list_tagged). */
  taggedBuilds(tagId: number): KojiBuild[] {
    return this.tagged
      .filter((t) => t.tagId === tagId)
      .sort((a, b) => b.event - a.event)
      .map((t) => this.build(t.buildId)!)
  }

  addTask(method: string, owner: string, request: unknown[]): KojiTask {
    const task: KojiTask = { id: this.tasks.length + 1, method, state: TASK_STATES.FREE, owner, request, createTs: Date.now() / 1000, completionTs: null, result: null }
    this.tasks.push(task)
    return task
  }
}

export function stateName(state: number): string {
  return Object.entries(BUILD_STATES).find(([, v]) => v === state)?.[0] ?? String(state)
}
