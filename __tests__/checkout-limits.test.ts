/** The size limit of the checkout's files is stated in the README, and a file over it is refused by name, size and limit. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync, truncateSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { MAX_CHECKOUT_FILE_BYTES, readCheckoutFile, shownSize } from '../src/checkout/workspace-files.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

describe('the size limit of a file of the checkout', () => {
  it('is 8 MiB, and the README says so for the Dockerfile and the repo config', () => {
    expect(MAX_CHECKOUT_FILE_BYTES).toBe(8 * 1024 * 1024)
    const readme = readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8')
    expect(readme).toContain(`read only up to **8 MiB** (${MAX_CHECKOUT_FILE_BYTES} bytes)`)
    expect(readme).toMatch(/\| `dockerfile` \| .*\(at most 8 MiB\)\. \|/)
    expect(readme).toMatch(/\| `repo-config-file` \| .*\(at most 8 MiB\)\. \|/)
  })

  it.each([
    ['repo-config-file', '.osbs-repo-config', 12 * 1024 * 1024, '12 MiB (12582912 bytes)'],
    ['dockerfile', 'Dockerfile', 11 * 1024 * 1024 + 100_000, '11.1 MiB (11634336 bytes)']
  ])('%s over it: refused with the file, its size and the limit', (input, file, size, shown) => {
    const workspace = makeTempDir('osbs-limits-')
    writeFileSync(path.join(workspace, file), '')
    truncateSync(path.join(workspace, file), size)
    expect(readCheckoutFile(workspace, file, input)).toEqual({
      kind: 'refused',
      message: `Input ${input}: '${file}' is ${shown}, over the limit of 8 MiB (8388608 bytes) for a file the action reads from the checkout. Accepted: a file of at most 8 MiB`
    })
  })

  it('a file of exactly 8 MiB is read', () => {
    const workspace = makeTempDir('osbs-limits-')
    writeFileSync(path.join(workspace, 'Dockerfile'), '')
    truncateSync(path.join(workspace, 'Dockerfile'), MAX_CHECKOUT_FILE_BYTES)
    expect(readCheckoutFile(workspace, 'Dockerfile', 'dockerfile').kind).toBe('file')
    expect(shownSize(1536)).toBe('0.0 MiB (1536 bytes)')
  })
})
