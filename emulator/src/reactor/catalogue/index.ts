/**
 * The plugin catalogue of atomic-reactor 1.6.26.3: every plugin key with its class, the phases its base classes
 * make it available in, and its constructor signature, generated from `plugins-1.6.26.3.json` (data read from
 * atomic-reactor's BSD-3-Clause source, see README.md here) so that the emulated reactor cannot drift from it.
 *
 * Two facts of the source are not in the table and are kept here, each checked against the source by a test when
 * `../shared/peers/atomic-reactor` is present: the classes that keep `Plugin.is_allowed_to_fail = True`, and the
 * constructors that take `**kwargs` (for which `_remove_unknown_args` drops nothing).
 */
import { readFileSync } from 'node:fs'
import type { Phase } from '../workflow.js'

/** One row of the table as it is in the JSON. */
export interface TableRow {
  module: string
  class: string
  bases: string[]
  /** Constructor arguments after (tasker, workflow); null: the class has no `__init__` of its own. */
  args: string[] | null
  /** Arguments without a default. */
  required: string[] | null
}

export type CataloguePhase = Phase | 'input'

export interface CatalogueEntry {
  key: string
  module: string
  className: string
  phases: CataloguePhase[]
  /** Keyword arguments the constructor names (empty when it has none of its own). */
  args: string[]
  required: string[]
  /** The constructor takes `**kwargs` (its own, or BuildPlugin's when it defines no `__init__`). */
  anyKeyword: boolean
  /** The class value of `is_allowed_to_fail`. */
  allowedToFail: boolean
}

/** The table, as copied from `../shared/reference/atomic-reactor-1.6.26.3-plugins.json`. */
export const TABLE_FILE = new URL('./plugins-1.6.26.3.json', import.meta.url)

export const TABLE: Readonly<Record<string, TableRow>> = JSON.parse(readFileSync(TABLE_FILE, 'utf8'))

/** Classes that do not set `is_allowed_to_fail = False` (Plugin's default is True). */
export const ALLOWED_TO_FAIL = new Set([
  'add_dockerfile',
  'add_help',
  'change_from_in_dockerfile',
  'docker_api',
  'env',
  'orchestrate_build',
  'osv3',
  'path',
  'remove_built_image',
  'sendmail',
  'store_logs_to_file'
])

/** Plugins whose own `__init__` ends in `**kwargs`. */
export const OWN_KWARGS = new Set(['tag_by_labels', 'test_built_image'])

/**
 * Base class → phases of the runners that load it. A runner loads every subclass of its base class, and
 * `ExitPlugin` subclasses `PostBuildPlugin`: exit plugins can also run as post-build plugins.
 */
const PHASES_OF_BASE: Record<string, CataloguePhase[]> = {
  PreBuildPlugin: ['prebuild'],
  BuildStepPlugin: ['buildstep'],
  PrePublishPlugin: ['prepublish'],
  PostBuildPlugin: ['postbuild'],
  ExitPlugin: ['exit', 'postbuild'],
  InputPlugin: ['input']
}

function entryOf(key: string, row: TableRow): CatalogueEntry {
  const phases = [...new Set(row.bases.flatMap((b) => PHASES_OF_BASE[b] ?? []))]
  if (!phases.length) throw new Error(`plugins-1.6.26.3.json: ${key} has no known base class (${row.bases.join(', ')})`)
  return {
    key,
    module: row.module,
    className: row.class,
    phases,
    args: row.args ?? [],
    required: row.required ?? [],
    anyKeyword: row.args === null || OWN_KWARGS.has(key),
    allowedToFail: ALLOWED_TO_FAIL.has(key)
  }
}

export const CATALOGUE: ReadonlyMap<string, CatalogueEntry> = new Map(Object.entries(TABLE).map(([k, row]) => [k, entryOf(k, row)]))

/** The plugin a runner of `phase` loads under `key`, if any. */
export function lookup(key: string, phase: CataloguePhase): CatalogueEntry | undefined {
  const entry = CATALOGUE.get(key)
  return entry && entry.phases.includes(phase) ? entry : undefined
}

/** What `_remove_unknown_args` and the constructor call make of a plugin's `args`. */
export interface ConstructorCall {
  /** The arguments the constructor receives. */
  accepted: Record<string, unknown>
  /** Arguments dropped with a warning (not in the signature). */
  dropped: [string, unknown][]
  /** Required arguments not given: the call raises a TypeError. */
  missing: string[]
}

export function constructorCall(entry: CatalogueEntry, given: Record<string, unknown>): ConstructorCall {
  const accepted: Record<string, unknown> = {}
  const dropped: [string, unknown][] = []
  for (const [k, v] of Object.entries(given)) {
    if (entry.anyKeyword || entry.args.includes(k)) accepted[k] = v
    else dropped.push([k, v])
  }
  const missing = entry.required.filter((r) => !(r in accepted))
  return { accepted, dropped, missing }
}

/**
 * The TypeError message of a call that lacks required positional arguments (CPython 3's wording, as the issue
 * of this catalogue quotes it: `__init__() missing 1 required positional argument: 'hub'`).
 */
export function missingArgumentsMessage(missing: string[]): string {
  const quoted = missing.map((m) => `'${m}'`)
  const list = quoted.length === 1 ? quoted[0] : quoted.length === 2 ? `${quoted[0]} and ${quoted[1]}` : `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`
  return `__init__() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`
}
