/** What pulp_push and pulp_sync share (`atomic_reactor/pulp_util.py` and push_conf's Pulp registries). */
import type { ImageName } from './imagename.js'
import { PyException } from './py.js'

/** A Pulp registry in push_conf (crane). */
export interface PulpRegistry {
  kind: 'pulp'
  name: string
  uri: string
  serverSideSync: boolean
}

/** push_conf.add_pulp_registry: one entry per Pulp environment in `registries`; a server-side sync sticks. */
export function addPulpRegistry(registries: PulpRegistry[], name: string, uri: string, serverSideSync: boolean): PulpRegistry {
  const existing = registries.find((p) => p.name === name)
  if (existing) {
    if (existing.uri !== uri) throw new PyException('RuntimeError', `Conflicting Pulp registries with name: ${name}`)
    existing.serverSideSync = existing.serverSideSync || serverSideSync
    return existing
  }
  const entry: PulpRegistry = { kind: 'pulp', name, uri, serverSideSync }
  registries.push(entry)
  return entry
}

/** Whether plugin `later` comes after plugin `first` in `names` (the postbuild plugins, in order). */
export function comesAfter(names: string[], first: string, later: string): boolean {
  const i = names.indexOf(first)
  const j = names.indexOf(later)
  return i >= 0 && j > i
}

/** The tags of each repository, in the order the images name them. */
export function groupByRepository(images: ImageName[]): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const image of images) {
    const tags = groups.get(image.repository) ?? []
    if (!tags.includes(image.tag ?? 'latest')) tags.push(image.tag ?? 'latest')
    groups.set(image.repository, tags)
  }
  return groups
}
