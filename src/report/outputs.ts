/**
 * What a finished Build says about its images (SPEC §6.6): atomic-reactor's `store_metadata_in_osv3` leaves JSON
 * strings in the Build's annotations; this turns them into the step outputs and the facts the summary shows.
 */
import type { RegistrySettings } from '../settings.js'
import { kojiFacts, type KojiFacts } from './koji.js'

export interface DigestEntry {
  registry: string
  repository: string
  tag?: string
  digest: string
  version?: string
}

export type ImageKind = 'v1' | 'v2' | 'pulp'

export interface ImageRef {
  kind: ImageKind
  pullSpec: string
  /** primary (version-release, version, latest) or unique (the build's own tag) */
  role: 'primary' | 'unique' | 'floating'
  digest?: string
}

export interface BuildFacts {
  buildConfig: string
  buildName: string
  buildNumber: string
  phase: string
  reason?: string
  message?: string
  buildUrl: string
  startTimestamp?: string
  completionTimestamp?: string
  /** Seconds. */
  durationSeconds?: number
  commitId?: string
  imageId?: string
  baseImage?: string
  images: ImageRef[]
  digests: DigestEntry[]
  /** `plugins-metadata.errors`: plugin → message. */
  pluginErrors: Record<string, string>
  /** The Build's labels said it is an autorebuild. */
  wasAutorebuild: boolean
  /** The Build's labels say its kind: `scratch: true`, `isolated: true`, else a build of a BuildConfig. */
  kind: 'branch' | 'scratch' | 'isolated'
  /** The Koji build (koji_promote) and the RPM count, as the Build's labels and annotations say. */
  koji: KojiFacts
}

/** Parse a JSON annotation; undefined when absent or not JSON. */
export function jsonAnnotation<T>(annotations: Record<string, string> | undefined, key: string): T | undefined {
  const raw = annotations?.[key]
  if (raw === undefined || raw === null || raw === '') return undefined
  if (typeof raw !== 'string') return raw as T
  try {
    return JSON.parse(raw) as T
  } catch {
    return undefined
  }
}

/** `host[:port]` of a pull spec (its first path part when it looks like a registry). */
export function registryOf(pullSpec: string): string | undefined {
  const first = pullSpec.split('/')[0]
  if (pullSpec.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return first.toLowerCase()
  return undefined
}

/** A pull spec's kind from the registry-uri it was pushed to: v1, v2, anything else (crane) is Pulp. */
export function kindOf(pullSpec: string, registries: RegistrySettings[]): ImageKind {
  const registry = registryOf(pullSpec)
  const match = registries.find((r) => r.host.toLowerCase() === registry)
  return match ? match.version : 'pulp'
}

/** "Error in plugin <p>: <msg>" lines (osbs-client's `get_error_message`), in the order atomic-reactor wrote them. */
export function pluginErrorMessages(errors: Record<string, string>): string[] {
  return Object.entries(errors).map(([plugin, message]) => (message ? `Error in plugin ${plugin}: ${message}` : `Error in plugin ${plugin}`))
}

/** The v2 digest recorded for exactly this pull spec (registry, repository and tag). */
function digestFor(pullSpec: string, digests: DigestEntry[]): string | undefined {
  const registry = registryOf(pullSpec)
  const rest = registry ? pullSpec.slice(registry.length + 1) : pullSpec
  const colon = rest.lastIndexOf(':')
  const repository = colon > rest.lastIndexOf('/') ? rest.slice(0, colon) : rest
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : 'latest'
  const entries = digests.filter((d) => (d.registry ?? '').replace(/^https?:\/\//, '').toLowerCase() === (registry ?? '') && d.repository === repository && (d.tag ?? 'latest') === tag)
  // A schema 1 (`version: v1`) digest is not the image's v2 digest; entries without a version are atomic-reactor's default.
  return (entries.find((d) => d.version === 'v2') ?? entries.find((d) => !d.version))?.digest
}

export interface FactsContext {
  buildConfig: string
  registries: RegistrySettings[]
  /** URL of the build (console when known, else API). */
  buildUrl: string
  /** Koji's web UI (koji-web-url), for the link to the Koji build. */
  kojiWebUrl?: string
}

/** Read a Build object (as the API returns it) into BuildFacts. */
export function readBuild(build: any, context: FactsContext): BuildFacts {
  const annotations: Record<string, string> = build?.metadata?.annotations ?? {}
  const labels: Record<string, string> = build?.metadata?.labels ?? {}
  const status = build?.status ?? {}
  const name: string = build?.metadata?.name ?? ''
  const repositories = jsonAnnotation<{ primary?: string[]; unique?: string[]; floating?: string[] }>(annotations, 'repositories') ?? {}
  const digests = (jsonAnnotation<DigestEntry[]>(annotations, 'digests') ?? []).filter((d) => d && typeof d === 'object')
  const pluginsMetadata = jsonAnnotation<{ errors?: Record<string, string> }>(annotations, 'plugins-metadata') ?? {}

  const images: ImageRef[] = []
  const seen = new Set<string>()
  for (const role of ['primary', 'unique', 'floating'] as const)
    for (const pullSpec of repositories[role] ?? []) {
      if (typeof pullSpec !== 'string' || seen.has(pullSpec)) continue
      seen.add(pullSpec)
      images.push({ kind: kindOf(pullSpec, context.registries), pullSpec, role, digest: digestFor(pullSpec, digests) })
    }

  const number = annotations['openshift.io/build.number'] ?? /-(\d+)$/.exec(name)?.[1] ?? ''
  const durationNs = typeof status.duration === 'number' ? status.duration : undefined
  let durationSeconds = durationNs !== undefined ? Math.round(durationNs / 1e9) : undefined
  if (durationSeconds === undefined && status.startTimestamp && status.completionTimestamp)
    durationSeconds = Math.round((Date.parse(status.completionTimestamp) - Date.parse(status.startTimestamp)) / 1000)
  return {
    buildConfig: context.buildConfig,
    buildName: name,
    buildNumber: String(number),
    phase: status.phase ?? 'Unknown',
    reason: status.reason,
    message: status.message,
    buildUrl: context.buildUrl,
    startTimestamp: status.startTimestamp,
    completionTimestamp: status.completionTimestamp,
    durationSeconds,
    commitId: annotations['commit_id'] || build?.spec?.revision?.git?.commit || undefined,
    imageId: annotations['image-id'] || undefined,
    baseImage: annotations['base-image-name'] || undefined,
    images,
    digests,
    pluginErrors: pluginsMetadata.errors && typeof pluginsMetadata.errors === 'object' ? pluginsMetadata.errors : {},
    wasAutorebuild: labels['is_autorebuild'] === 'true',
    kind: labels['scratch'] === 'true' ? 'scratch' : labels['isolated'] === 'true' ? 'isolated' : 'branch',
    koji: kojiFacts(labels, annotations, context.kojiWebUrl)
  }
}

/** The step outputs of SPEC §6.6, every one a string. */
export function outputsFrom(facts: BuildFacts, extra: { baseImageStreamTag?: string | null; autorebuild: boolean }): Record<string, string> {
  const pullSpecs = (kind?: ImageKind, role?: ImageRef['role']): string[] => facts.images.filter((i) => (!kind || i.kind === kind) && (!role || i.role === role)).map((i) => i.pullSpec)
  const primary = pullSpecs(undefined, 'primary')
  const image = primary[0] ?? facts.images[0]?.pullSpec ?? ''
  const imageRef = facts.images.find((i) => i.pullSpec === image)
  return {
    'build-config': facts.buildConfig,
    'build-kind': facts.kind,
    'build-name': facts.buildName,
    'build-number': facts.buildNumber,
    'build-status': facts.phase,
    'build-url': facts.buildUrl,
    image,
    images: JSON.stringify(facts.images.map((i) => i.pullSpec)),
    'primary-images': primary.join('\n'),
    'unique-images': pullSpecs(undefined, 'unique').join('\n'),
    'v1-images': pullSpecs('v1').join('\n'),
    'v2-images': pullSpecs('v2').join('\n'),
    'pulp-images': pullSpecs('pulp').join('\n'),
    digests: JSON.stringify(facts.digests),
    'image-digest': imageRef?.digest ?? '',
    'image-id': facts.imageId ?? '',
    'commit-id': facts.commitId ?? '',
    'base-image': facts.baseImage ?? '',
    'base-image-stream-tag': extra.baseImageStreamTag ?? '',
    autorebuild: String(extra.autorebuild),
    'koji-build-id': facts.koji.buildId ?? '',
    'koji-nvr': facts.koji.nvr ?? '',
    'koji-build-url': facts.koji.buildUrl ?? '',
    'rpm-count': facts.koji.rpmCount !== undefined ? String(facts.koji.rpmCount) : ''
  }
}

/** `build-config-json`: the BuildConfig as the action rendered it (the ATOMIC_REACTOR_PLUGINS value stays a string). */
export function buildConfigJson(buildConfig: object): string {
  return JSON.stringify(buildConfig)
}
