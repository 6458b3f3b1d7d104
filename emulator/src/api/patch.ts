/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902). */
import { ApiError, badRequest } from './status.js'

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch)
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {}
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

function unescape(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~')
}

function parsePointer(p: string): string[] {
  if (p === '') return []
  if (!p.startsWith('/')) throw badRequest(`JSON pointer "${p}" must start with /`)
  return p.slice(1).split('/').map(unescape)
}

function invalidPatch(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422 })
}

function getAt(doc: any, path: string[]): any {
  let cur = doc
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)]
    else if (cur && typeof cur === 'object') cur = cur[seg]
    else return undefined
  }
  return cur
}

function parentOf(doc: any, path: string[], op: string): { parent: any; key: string } {
  if (!path.length) throw invalidPatch(`the server rejected our request due to an error in our request: ${op} on the whole document is not supported`)
  const parent = getAt(doc, path.slice(0, -1))
  if (parent === undefined || parent === null || typeof parent !== 'object') {
    throw invalidPatch(`the server rejected our request due to an error in our request: doc is missing path: "/${path.join('/')}": missing value`)
  }
  return { parent, key: path[path.length - 1]! }
}

function add(doc: any, path: string[], value: unknown, op: string): void {
  const { parent, key } = parentOf(doc, path, op)
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key)
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw invalidPatch(`the server rejected our request due to an error in our request: Unable to access invalid index: ${key}`)
    parent.splice(i, 0, value)
  } else parent[key] = value
}

function remove(doc: any, path: string[], op: string): unknown {
  const { parent, key } = parentOf(doc, path, op)
  if (Array.isArray(parent)) {
    const i = Number(key)
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw invalidPatch(`the server rejected our request due to an error in our request: Unable to access invalid index: ${key}`)
    return parent.splice(i, 1)[0]
  }
  if (!(key in parent)) throw invalidPatch(`the server rejected our request due to an error in our request: Unable to remove nonexistent key: ${key}: missing value`)
  const v = parent[key]
  delete parent[key]
  return v
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
  let doc: any = structuredClone(target)
  for (const o of ops as any[]) {
    const op = o?.op
    const path = parsePointer(String(o?.path ?? ''))
    switch (op) {
      case 'add':
        if (!path.length) doc = structuredClone(o.value)
        else add(doc, path, structuredClone(o.value), op)
        break
      case 'remove':
        remove(doc, path, op)
        break
      case 'replace':
        if (!path.length) doc = structuredClone(o.value)
        else {
          remove(doc, path, op)
          add(doc, path, structuredClone(o.value), op)
        }
        break
      case 'move': {
        const v = remove(doc, parsePointer(String(o.from ?? '')), op)
        add(doc, path, v, op)
        break
      }
      case 'copy':
        add(doc, path, structuredClone(getAt(doc, parsePointer(String(o.from ?? '')))), op)
        break
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(o.value)) {
          throw invalidPatch(`the server rejected our request due to an error in our request: testing value /${path.join('/')} failed: test failed`)
        }
        break
      default:
        throw badRequest(`Unexpected kind: ${op}`)
    }
  }
  return doc
}
