/**
 * The reactor conformance suite's measures: what one build left behind, reduced to what must be the same whichever
 * atomic-reactor ran it (the real 1.6.26.3 or the local OpenShift's in-process imitation), and the comparison of two
 * such observations.
 *
 * Values that differ between any two builds (timestamps, the unique tag's random part, durations, image ids and
 * digests of images built by two different engines) are replaced by placeholders; everything else is compared as is.
 */

/** What the suite records of one build. */
export interface Observation {
  phase: string
  reason?: string
  /** The Build's labels written by the reactor (not the ones the action or OpenShift set). */
  labels: Record<string, string>
  /** The BuildConfig's `is_autorebuild` label after the build. */
  buildConfigAutorebuild?: string
  /** Annotations, normalized (see `normalizeAnnotations`). */
  annotations: Record<string, unknown>
  /** Tags the registry serves for the image's repository after the build, normalized and sorted. */
  pushedTags: string[]
  log: LogStructure
}

/** The shape of a build log: plugins in the order they ran, and how the build ended. */
export interface LogStructure {
  /** `phase:plugin` in the order atomic-reactor ran them. */
  plugins: string[]
  /** Plugins that logged that they failed. */
  failedPlugins: string[]
  /** The last line atomic-reactor's inner workflow wrote, normalized. */
  outcome: string
}

const TIMESTAMP_TAG = /-\d{14}$/
/** A git commit id: each cluster builds its own repository, so the ids differ. */
const COMMIT = /\b[0-9a-f]{40}\b/g
const DIGEST = /sha256:[0-9a-f]{64}/g
const DATE = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?/g

/** The build's own tag (`<user>-<random>-<timestamp>`) becomes `<unique>`. */
export function normalizeTag(tag: string): string {
  return TIMESTAMP_TAG.test(tag) ? '<unique>' : tag
}

/** A pull spec with its unique tag and registry port replaced. */
export function normalizePullSpec(spec: string, hosts: Record<string, string>): string {
  let out = spec
  for (const [name, host] of Object.entries(hosts)) out = out.split(host).join(`<${name}>`)
  const colon = out.lastIndexOf(':')
  return colon > out.lastIndexOf('/') ? `${out.slice(0, colon)}:${normalizeTag(out.slice(colon + 1))}` : out
}

/**
 * Annotations with the values two builds cannot share replaced by placeholders. `buildName` is the build's own name,
 * which pull_base_image gives the base image it pulled (`base-image-name`): `<build>` where it is that name.
 */
export function normalizeAnnotations(annotations: Record<string, string>, hosts: Record<string, string>, buildName?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const parse = (s: string | undefined): unknown => {
    try {
      return s === undefined ? undefined : JSON.parse(s)
    } catch {
      return s
    }
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith('openshift.io/')) continue
    switch (key) {
      case 'repositories': {
        const r = parse(value) as Record<string, string[]>
        out[key] = Object.fromEntries(Object.entries(r ?? {}).map(([k, list]) => [k, list.map((s) => normalizePullSpec(s, hosts)).sort()]))
        break
      }
      case 'digests': {
        const list = (parse(value) ?? []) as Record<string, string>[]
        out[key] = list
          .map((d) => ({ ...d, registry: normalizePullSpec(d.registry ?? '', hosts), tag: normalizeTag(d.tag ?? ''), digest: d.digest ? '<digest>' : d.digest }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
        break
      }
      case 'plugins-metadata': {
        const m = (parse(value) ?? {}) as { durations?: Record<string, number>; errors?: Record<string, string>; timestamps?: Record<string, string> }
        // which plugins failed; the messages are the engines' own (buildah's or podman's) in Python 2's or 3's repr
        out[key] = { durations: Object.keys(m.durations ?? {}).sort(), timestamps: Object.keys(m.timestamps ?? {}).sort(), errors: Object.keys(m.errors ?? {}).sort() }
        break
      }
      case 'base-image-id':
      case 'image-id':
        out[key] = value === '' ? '' : value.replace(DIGEST, '<digest>').replace(/^[0-9a-f]{64}$/, '<digest>')
        break
      case 'dockerfile':
        out[key] = value.replace(DATE, '<date>').replace(DIGEST, '<digest>').replace(COMMIT, '<commit>')
        break
      case 'base-image-name':
        out[key] = buildName !== undefined && value === buildName ? '<build>' : normalizePullSpec(value, hosts)
        break
      case 'commit_id':
        out[key] = value.replace(COMMIT, '<commit>')
        break
      case 'tar_metadata': {
        // the size and sums of an archive of an image built by another engine
        const t = (parse(value) ?? {}) as Record<string, unknown>
        out[key] = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, k === 'filename' ? v : typeof v]))
        break
      }
      default:
        out[key] = typeof value === 'string' ? normalizePullSpec(value, hosts) : value
    }
  }
  return out
}

const PLUGIN_START = / - atomic_reactor\.plugin - DEBUG - running plugin '([^']+)'/
const PHASE = / - atomic_reactor\.plugin - INFO - initializing runner of (input|pre-build|build-step|pre-publish|post-build|exit) plugin/
const PLUGIN_FAILED = / - atomic_reactor\.plugin - (?:ERROR|WARNING) - (?:plugin '([^']+)' raised an exception|Build step plugin (\S+) failed)/
const INNER = / - atomic_reactor\.(?:inner|cli\.main) - \w+ - (.*)$/

/** The plugins a log shows running (with their phase), the plugins it says failed, and its last inner line. */
export function logStructure(log: string): LogStructure {
  const plugins: string[] = []
  const failed = new Set<string>()
  let phase = 'input'
  let outcome = ''
  for (const line of log.split('\n')) {
    const p = PHASE.exec(line)
    if (p) phase = p[1]!
    const m = PLUGIN_START.exec(line)
    if (m) plugins.push(`${phase}:${m[1]}`)
    const f = PLUGIN_FAILED.exec(line)
    if (f) failed.add((f[1] ?? f[2])!)
    const i = INNER.exec(line)
    // an exception's repr holds the engine's message: keep its class
    if (i) outcome = i[1]!.replace(DIGEST, '<digest>').replace(/\((\w+)\(.*\)\)/, '($1(…))')
  }
  return { plugins, failedPlugins: [...failed].sort(), outcome }
}

/** One way two observations of the same case differ. */
export interface Difference {
  case: string
  field: string
  real: unknown
  emulated: unknown
}

/** Every field in which two observations differ (`annotations.<key>` per annotation). */
export function differences(caseName: string, real: Observation, emulated: Observation): Difference[] {
  const out: Difference[] = []
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  const check = (field: string, a: unknown, b: unknown) => {
    if (!same(a, b)) out.push({ case: caseName, field, real: a, emulated: b })
  }
  check('phase', real.phase, emulated.phase)
  check('reason', real.reason, emulated.reason)
  check('labels', real.labels, emulated.labels)
  check('buildConfigAutorebuild', real.buildConfigAutorebuild, emulated.buildConfigAutorebuild)
  for (const key of [...new Set([...Object.keys(real.annotations), ...Object.keys(emulated.annotations)])].sort()) {
    check(`annotations.${key}`, real.annotations[key], emulated.annotations[key])
  }
  check('pushedTags', real.pushedTags, emulated.pushedTags)
  check('log.plugins', real.log.plugins, emulated.log.plugins)
  check('log.failedPlugins', real.log.failedPlugins, emulated.log.failedPlugins)
  check('log.outcome', real.log.outcome, emulated.log.outcome)
  return out
}

/** A difference the suite accepts, and why. */
export interface ExplainedDifference {
  field: string
  /** Only in these cases (default: all). */
  cases?: string[]
  why: string
}

/** The differences that no explanation covers. */
export function unexplained(found: Difference[], explained: ExplainedDifference[]): Difference[] {
  return found.filter((d) => !explained.some((e) => e.field === d.field && (!e.cases || e.cases.includes(d.case))))
}
