/**
 * JSON merge patch (RFC 7386), and JSON patch (RFC 6902) by fast-json-patch. The merge patch stays written here:
 * RFC 7386's whole algorithm is the 8 lines below.
 */
// its CommonJS core by path: the package ships its TypeScript sources as index.ts beside index.js, which jest's
// TypeScript resolver would pick
import jsonpatch, { type JsonPatchError, type Operation } from 'fast-json-patch/commonjs/core.js'
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

function invalidPatch(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422 })
}

/** The value holding the member `path` points at (undefined when there is none). */
function parentOf(target: unknown, path: string): unknown {
  try {
    return jsonpatch.getValueByPointer(target, path.slice(0, path.lastIndexOf('/')))
  } catch {
    return undefined
  }
}

/** The API server's words (evanphx/json-patch, as kube-apiserver wraps them) for what fast-json-patch refuses. */
function refusal(error: InstanceType<typeof JsonPatchError>, ops: Operation[], target: unknown): ApiError {
  const op = (error.operation ?? ops[error.index ?? 0]) as Partial<Operation & { from: string }> | undefined
  const path = String(op?.path ?? '')
  const key = path
    .slice(path.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~')
  const rejected = (message: string) => invalidPatch(`the server rejected our request due to an error in our request: ${message}`)
  switch (error.name) {
    case 'TEST_OPERATION_FAILED':
      return rejected(`testing value ${path} failed: test failed`)
    case 'OPERATION_PATH_CANNOT_ADD':
      return rejected(`doc is missing path: "${path}": missing value`)
    case 'OPERATION_PATH_UNRESOLVABLE':
      if (op?.op === 'add') return rejected(`doc is missing path: "${path}": missing value`)
      if (Array.isArray(parentOf(target, path))) return rejected(`Unable to access invalid index: ${key}`)
      return rejected(`Unable to remove nonexistent key: ${key}: missing value`)
    case 'OPERATION_FROM_UNRESOLVABLE':
      return rejected(`doc is missing from path: "${String(op?.from ?? '')}": missing value`)
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
      return rejected(`Unable to access invalid index: ${key}`)
    case 'OPERATION_VALUE_REQUIRED':
      return rejected(`${String(op?.op)} operation has no value: missing value`)
    case 'OPERATION_OP_INVALID':
      return badRequest(`Unexpected kind: ${String(op?.op)}`)
    case 'OPERATION_PATH_INVALID':
    case 'OPERATION_FROM_REQUIRED':
      return badRequest(`JSON pointer "${path}" must start with /`)
    default:
      return rejected(error.message.split('\n')[0]!)
  }
}

/**
 * JSON patch (RFC 6902) by fast-json-patch, each operation validated, the stored object never changed in place.
 * Refusals are the API server's Status: 422 for an operation that does not apply, 400 for a malformed one. Like
 * the API server (and unlike fast-json-patch, which returns null), removing or moving the whole document is refused.
 */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
  for (const o of ops as Array<Partial<Operation & { from: string }>>) {
    if ((o?.op === 'remove' && o.path === '') || (o?.op === 'move' && o.from === '')) {
      throw invalidPatch(`the server rejected our request due to an error in our request: ${o.op} on the whole document is not supported`)
    }
  }
  try {
    return jsonpatch.applyPatch(target, ops as Operation[], true, false).newDocument
  } catch (error) {
    if (error instanceof jsonpatch.JsonPatchError) throw refusal(error, ops as Operation[], target)
    throw error
  }
}
