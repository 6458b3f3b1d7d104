/**
 * The local OpenShift's JSON patch (RFC 6902, by fast-json-patch) and merge patch (RFC 7386). The cases where the
 * hand-written patch it replaced broke RFC 6902 are pinned (each failed with it): a `test` of equal objects with
 * keys in another order, a `copy` from a missing path, an `add` without a value.
 */
import { describe, expect, it } from '@jest/globals'
import { jsonPatch, mergePatch } from '../src/api/patch.js'

const doc = { a: { x: 1, y: 2 }, arr: [1, 2, 3], s: 'v', n: null }

/** The Status the API server answers for a refused patch: code and message. */
function refusal(ops: unknown): { code: number; message: string } | 'applied' {
  try {
    jsonPatch(doc, ops)
    return 'applied'
  } catch (error) {
    const status = (error as { status: { code: number; message: string } }).status
    return { code: status.code, message: status.message }
  }
}

describe('JSON patch, where the hand-written one broke RFC 6902', () => {
  it('test: objects with the same members in another order are equal (RFC 6902 §4.6)', () => {
    expect(jsonPatch(doc, [{ op: 'test', path: '/a', value: { y: 2, x: 1 } }])).toEqual(doc)
  })

  it('copy from a missing path is an error (RFC 6902 §4.5: the from location MUST exist), not a no-op', () => {
    expect(refusal([{ op: 'copy', from: '/missing', path: '/b' }])).toEqual({
      code: 422,
      message: 'the server rejected our request due to an error in our request: doc is missing from path: "/missing": missing value'
    })
  })

  it('add without a value is an error (RFC 6902 §4.1: MUST contain a value member), not an undefined member', () => {
    expect(refusal([{ op: 'add', path: '/z' }])).toEqual({ code: 422, message: 'the server rejected our request due to an error in our request: add operation has no value: missing value' })
  })
})

describe('JSON patch, as the API server answers it', () => {
  it('applies add, remove, replace, move, copy and test in order, without changing the stored object', () => {
    const before = structuredClone(doc)
    const out = jsonPatch(doc, [
      { op: 'test', path: '/n', value: null },
      { op: 'add', path: '/arr/-', value: 4 },
      { op: 'replace', path: '/s', value: 'w' },
      { op: 'move', from: '/a/x', path: '/x' },
      { op: 'copy', from: '/arr/0', path: '/first' },
      { op: 'remove', path: '/a/y' }
    ])
    expect(out).toEqual({ a: {}, arr: [1, 2, 3, 4], s: 'w', n: null, x: 1, first: 1 })
    expect(doc).toEqual(before)
  })

  it.each([
    ['a failed test', [{ op: 'test', path: '/a/x', value: '1' }], 422, 'testing value /a/x failed: test failed'],
    ['a missing key replaced', [{ op: 'replace', path: '/a/z', value: 1 }], 422, 'Unable to remove nonexistent key: z: missing value'],
    ['an add into a missing parent', [{ op: 'add', path: '/q/r', value: 1 }], 422, 'doc is missing path: "/q/r": missing value'],
    ['an array index out of range', [{ op: 'remove', path: '/arr/5' }], 422, 'Unable to access invalid index: 5'],
    ['the whole document removed', [{ op: 'remove', path: '' }], 422, 'remove on the whole document is not supported']
  ])('refuses %s with 422', (_name, ops, code, message) => {
    expect(refusal(ops)).toEqual({ code, message: `the server rejected our request due to an error in our request: ${message}` })
  })

  it.each([
    ['an unknown op', [{ op: 'frob', path: '/a' }], 'Unexpected kind: frob'],
    ['a path without a leading /', [{ op: 'add', path: 'z', value: 1 }], 'JSON pointer "z" must start with /'],
    ['a patch that is not a list', { op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch']
  ])('refuses %s with 400', (_name, ops, message) => {
    expect(refusal(ops)).toEqual({ code: 400, message })
  })
})

describe('merge patch', () => {
  it('merges objects, removes members set to null, replaces arrays and scalars', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1], k: 'x' }, { a: { b: null, d: 3 }, l: [2], k: { z: 1 } })).toEqual({ a: { c: 2, d: 3 }, l: [2], k: { z: 1 } })
  })
})
