/**
 * Discovery documents (`/api`, `/apis`, `/apis/<group>[/v1]`, `/api/v1`, `/oapi`, `/oapi/v1`, `/version`);
 * `/openapi/v2` is openapi.ts's.
 */
import { BUILD_GROUP, IMAGE_GROUP, USER_GROUP, type ResourceDef } from '../api/resources.js'
import type { Resource } from './strategy.js'

/** The table of resources, as discovery reads it. */
type Resources = Record<string, Resource<any>>

/** The API groups served under /apis. */
export const API_GROUPS = [BUILD_GROUP, IMAGE_GROUP, USER_GROUP]

export const SERVER_VERSION = {
  major: '1',
  minor: '11+',
  gitVersion: 'v1.11.0+d4cacc0',
  gitCommit: 'd4cacc0',
  gitTreeState: 'clean',
  buildDate: '2019-01-01T00:00:00Z',
  goVersion: 'go1.10.8',
  compiler: 'gc',
  platform: 'linux/amd64'
}

function resourceEntry(def: ResourceDef, legacyGroup: boolean): Record<string, unknown> {
  const e: Record<string, unknown> = {
    name: def.plural,
    singularName: '',
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: def.verbs
  }
  if (def.shortNames && !legacyGroup) e.shortNames = def.shortNames
  if (def.categories && !legacyGroup) e.categories = def.categories
  return e
}

/** The subresources of the resources chosen (connect verbs are never listed). */
function subEntries(resources: Resources, which: (def: ResourceDef) => boolean): Array<Record<string, unknown>> {
  return Object.values(resources)
    .filter((r) => which(r.def))
    .flatMap((r) => r.discovery ?? [])
    .map((s) => ({ name: s.name, singularName: '', namespaced: true, kind: s.kind, verbs: s.verbs }))
}

function sorted(list: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return list.sort((a, b) => String(a.name).localeCompare(String(b.name)))
}

export function apiResourceList(resources: Resources, group: string): Record<string, unknown> {
  const defs = Object.values(resources)
    .map((r) => r.def)
    .filter((d) => d.group === group)
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${group}/v1`,
    resources: sorted([...defs.map((d) => resourceEntry(d, false)), ...subEntries(resources, (d) => d.group === group)])
  }
}

export function coreResourceList(resources: Resources): Record<string, unknown> {
  const defs = Object.values(resources)
    .map((r) => r.def)
    .filter((d) => d.group === '')
  return { kind: 'APIResourceList', groupVersion: 'v1', resources: sorted(defs.map((d) => resourceEntry(d, false))) }
}

export function legacyResourceList(resources: Resources): Record<string, unknown> {
  const defs = Object.values(resources)
    .map((r) => r.def)
    .filter((d) => d.legacy)
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: sorted([...defs.map((d) => resourceEntry(d, true)), ...subEntries(resources, (d) => [BUILD_GROUP, IMAGE_GROUP, USER_GROUP].includes(d.group))])
  }
}

export function apiGroup(group: string): Record<string, unknown> {
  const v = { groupVersion: `${group}/v1`, version: 'v1' }
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [v], preferredVersion: v }
}

export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: API_GROUPS.map((g) => {
      const { kind: _k, apiVersion: _a, ...rest } = apiGroup(g)
      return rest
    })
  }
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] }
}
