/**
 * The Docker reference grammar (src/naming/image-reference.ts) against @swimlane/docker-reference, the npm port of
 * distribution's: they agree on every reference below but the pinned ones, where the project follows distribution
 * and go-digest as they are today. (Why the library is not used: its comment in src/naming/image-reference.ts.)
 */
import { describe, expect, it } from '@jest/globals'
import { parseQualifiedName } from '@swimlane/docker-reference'
import { isImageReference } from '../src/naming/image-reference.js'

const hex = (c: string, n: number) => c.repeat(n)

function library(reference: string): boolean {
  try {
    parseQualifiedName(reference)
    return true
  } catch {
    return false
  }
}

/** References both judge alike: [reference, valid]. */
const AGREED: Array<[string, boolean]> = [
  ['fedora', true],
  ['fedora:latest', true],
  ['library/fedora:39', true],
  ['registry.example.com/acme/app:1.0-1', true],
  ['registry.example.com:5000/acme/app', true],
  ['localhost/app', true],
  ['localhost:5000/app:tag', true],
  ['127.0.0.1:5000/a/b/c:v1', true],
  ['registry.Example.com/app', true],
  ['a__b', true],
  ['a-----b', true],
  ['a.b_c-d', true],
  [`app:${'x'.repeat(128)}`, true],
  ['app:_x', true],
  [`app@sha256:${hex('a', 64)}`, true],
  [`app:1@sha256:${hex('a', 64)}`, true],
  [`r.example.com/${'a'.repeat(240)}`, true],
  ['Fedora', false],
  ['a___b', false],
  ['a-', false],
  ['-a', false],
  ['a..b', false],
  ['a/b//c', false],
  [`app:${'x'.repeat(129)}`, false],
  ['app:.x', false],
  ['app:-x', false],
  [`app@sha256:${hex('a', 63)}`, false],
  [`app@md5:${hex('a', 32)}`, false],
  [`r.example.com/${'a'.repeat(250)}`, false],
  ['host:port/app', false],
  ['a:b:c', false],
  ['', false]
]

describe('image references', () => {
  it.each(AGREED)('%s: %s, as @swimlane/docker-reference judges it', (reference, valid) => {
    expect([isImageReference(reference), library(reference)]).toEqual([valid, valid])
  })

  it('sha384 and sha512 digests are references (go-digest registers both; only sha256 was accepted before)', () => {
    for (const digest of [`sha384:${hex('b', 96)}`, `sha512:${hex('c', 128)}`]) {
      expect([isImageReference(`app@${digest}`), library(`app@${digest}`)]).toEqual([true, true])
      expect(isImageReference(`registry.example.com:5000/acme/app:1@${digest}`)).toBe(true)
    }
    expect(isImageReference(`app@sha512:${hex('c', 64)}`)).toBe(false)
  })

  it('differs from the library where distribution and go-digest do today: IPv6 hosts are valid, uppercase digests are not', () => {
    // distribution's grammar since v3 has bracketed IPv6 hosts; the library's older one has not
    for (const reference of ['[::1]:5000/app:1', '[2001:db8::1]/app']) expect([isImageReference(reference), library(reference)]).toEqual([true, false])
    // the grammar takes [0-9a-fA-F], but go-digest validates the sha256 encoding as lowercase hex
    expect([isImageReference(`app@sha256:${hex('A', 64)}`), library(`app@sha256:${hex('A', 64)}`)]).toEqual([false, true])
  })

  it('a long reference that does not match is refused in linear time (the library backtracks exponentially on it)', () => {
    expect(isImageReference(`${'a'.repeat(100_000)}!`)).toBe(false)
    expect(isImageReference(`${'a-'.repeat(50_000)}!`)).toBe(false)
  })
})
