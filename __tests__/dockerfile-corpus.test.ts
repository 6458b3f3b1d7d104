/** The action's Dockerfile reader follows Docker's rules on the whole corpus (__fixtures__/dockerfile-corpus.ts). */
import { describe, expect, it } from '@jest/globals'
import { analyzeDockerfile } from '../src/checkout/dockerfile.js'
import { CORPUS } from '../__fixtures__/dockerfile-corpus.js'

describe("the action's reader on the Dockerfile corpus (Docker's rules)", () => {
  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const { info, problems } = analyzeDockerfile(c.text, 'Dockerfile')
    expect(problems).toEqual([])
    expect({ baseImage: info!.baseImage, labels: Object.fromEntries(Object.entries(info!.labels).map(([k, v]) => [k, v.value])) }).toEqual(c.docker)
  })

  it("keeps a single-quoted $X literal, as Docker does (LABEL release='$X')", () => {
    const { info } = analyzeDockerfile('FROM f\nARG X=1\nLABEL release=\'$X\' name="$X"\n', 'Dockerfile')
    expect(info!.labels['release']!.value).toBe('$X')
    expect(info!.labels['name']!.value).toBe('1')
  })
})
