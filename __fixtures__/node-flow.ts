/**
 * The build flow recorded from a real OpenShift Origin 3.11 master with the local node (emulator/src/pod/node/)
 * running its build pods with the real atomic-reactor 1.6.26.3 (__fixtures__/openshift/recorded-3.11-node/): the
 * build pod as the real build controller made it (container, environment, volumes, account) and the Build's
 * labels and annotations as the real store_metadata_in_osv3 left them. Shared by the recorder
 * (scripts/record-node-flow.ts) and the comparison with the local OpenShift (__tests__/node-flow-conformance.test.ts).
 *
 * Values that differ from run to run are normalized to placeholders (`<registry>`, `<commit>`, `sha256:<digest>`,
 * `<time>`, …); JSON strings (BUILD, ATOMIC_REACTOR_PLUGINS, the JSON annotations) are kept parsed as `{json: …}`.
 */

/** The hosts and names of the run, replaced by placeholders. */
export interface FlowNames {
  registry: string
  master: string
  gitUri: string
}

export interface RecordedPod {
  serviceAccountName: unknown
  restartPolicy: unknown
  volumes: unknown
  container: { name: unknown; image: unknown; securityContext: unknown; terminationMessagePolicy: unknown; volumeMounts: unknown; env: { name: string; value?: unknown; json?: unknown }[] }
}

export interface RecordedFlow {
  name: string
  description: string
  /** what the action wrote (absent for a build OpenShift started by itself) */
  buildConfig?: unknown
  buildRequest?: unknown
  pod: RecordedPod
  labels: Record<string, string>
  annotations: Record<string, unknown>
}

export interface NodeFlowRecording {
  description: string
  server: string
  recordedWith: string
  flows: RecordedFlow[]
}

const PATTERNS: [RegExp, string][] = [
  [/sha256:[0-9a-f]{64}/g, 'sha256:<digest>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uid>'],
  [/\b[0-9a-f]{64}\b/g, '<sha256>'],
  [/\b[0-9a-f]{40}\b/g, '<commit>'],
  [/\b[0-9a-f]{32}\b/g, '<md5>'],
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<time>'],
  [/none-\d+-\d{14}/g, 'none-<unique>'],
  [/-token-[a-z0-9]{5}\b/g, '-token-<id>']
]

/** A string with the run's hosts and volatile parts replaced by placeholders. */
export function normalizeText(s: string, names: FlowNames): string {
  let out = s.split(names.gitUri).join('<git-uri>').split(names.master).join('<master>').split(names.registry).join('<registry>')
  for (const [re, to] of PATTERNS) out = out.replace(re, to)
  return out
}

/** Fields of an object that differ on every run and say nothing about the flow. */
const VOLATILE = new Set(['resourceVersion', 'selfLink', 'creationTimestamp', 'uid', 'startTimestamp', 'completionTimestamp', 'duration', 'size', 'lastTransitionTime', 'lastUpdateTime'])

/** A JSON value normalized: volatile fields dropped, strings normalized, numbers of durations left out. */
export function normalizeValue(v: unknown, names: FlowNames): unknown {
  if (typeof v === 'string') return normalizeText(v, names)
  if (Array.isArray(v)) return v.map((x) => normalizeValue(x, names))
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (VOLATILE.has(k)) continue
      // plugins-metadata: how long each plugin took
      out[normalizeText(k, names)] = k === 'durations' && x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).map((p) => [p, '<seconds>'])) : normalizeValue(x, names)
    }
    return out
  }
  return v
}

/** A string that holds a JSON object or array, parsed and normalized as `{json}`; other strings normalized. */
export function normalizeMaybeJson(s: string, names: FlowNames): unknown {
  if (/^\s*[[{]/.test(s)) {
    try {
      return { json: normalizeValue(JSON.parse(s), names) }
    } catch {
      // not JSON after all
    }
  }
  return normalizeText(s, names)
}

/** The parts of a build pod the comparison looks at, normalized. */
export function recordPod(pod: any, names: FlowNames): RecordedPod {
  const c = pod.spec.containers[0]
  return {
    serviceAccountName: pod.spec.serviceAccountName,
    restartPolicy: pod.spec.restartPolicy,
    volumes: normalizeValue(pod.spec.volumes, names),
    container: {
      name: c.name,
      image: c.image,
      securityContext: c.securityContext,
      terminationMessagePolicy: c.terminationMessagePolicy,
      volumeMounts: normalizeValue(c.volumeMounts, names),
      env: (c.env as { name: string; value?: string }[]).map((e) =>
        e.value === undefined
          ? { name: e.name }
          : typeof normalizeMaybeJson(e.value, names) === 'string'
            ? { name: e.name, value: normalizeText(e.value, names) }
            : { name: e.name, json: (normalizeMaybeJson(e.value, names) as { json: unknown }).json }
      )
    }
  }
}

/** A Build's labels and annotations, normalized. */
export function recordBuildMetadata(build: any, names: FlowNames): { labels: Record<string, string>; annotations: Record<string, unknown> } {
  const labels = Object.fromEntries(Object.entries((build.metadata.labels ?? {}) as Record<string, string>).map(([k, v]) => [k, normalizeText(v, names)]))
  const annotations = Object.fromEntries(Object.entries((build.metadata.annotations ?? {}) as Record<string, string>).map(([k, v]) => [k, normalizeMaybeJson(v, names)]))
  return { labels, annotations }
}
