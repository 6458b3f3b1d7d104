/**
 * The emulator's readers on the Dockerfile corpus (__fixtures__/dockerfile-corpus.ts): atomic-reactor's view is
 * dockerfile-parse 2.0.1's (checked against the real one when ../shared/peers/dockerfile-parse is there), the
 * simulated docker build's is Docker's.
 */
import { execFile } from 'node:child_process'
import { describe, expect, it } from '@jest/globals'
import { dockerfileParse } from '../src/reactor/util/dockerfile-parse.js'
import { baseImage, finalLabels, parseDockerfile } from '../src/reactor/util/dockerfile.js'
import { CORPUS } from '../../__fixtures__/dockerfile-corpus.js'
import { describeWithPeers } from '../../__fixtures__/peers.js'

describe("atomic-reactor's reader (dockerfile-parse 2.0.1 rules)", () => {
  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const view = dockerfileParse(c.text)
    expect({ parents: view.parents, labels: view.labels }).toEqual(c.dockerfileParse)
  })
})

describe("the simulated docker build's reader (Docker's rules)", () => {
  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const df = parseDockerfile(c.text)
    const base = baseImage(df)
    expect({ baseImage: base === 'scratch' ? null : (base ?? null), labels: finalLabels(df) }).toEqual(c.docker)
  })
})

describeWithPeers(['dockerfile-parse'], 'the corpus answers of dockerfile-parse are the real one’s', ({ 'dockerfile-parse': dfp }) => {
  it('the real dockerfile-parse 2.0.1 gives the recorded answers', async () => {
    const script = [
      'import io, json, sys',
      'from dockerfile_parse import DockerfileParser',
      'out = []',
      'for text in json.load(sys.stdin):',
      '    p = DockerfileParser(fileobj=io.BytesIO(text.encode()), env_replace=True)',
      "    out.append({'parents': p.parent_images, 'labels': dict(p.labels)})",
      'print(json.dumps(out))'
    ].join('\n')
    const out = await new Promise<string>((resolve, reject) => {
      const child = execFile('/usr/bin/python3', ['-c', script], { env: { ...process.env, PYTHONPATH: dfp! } }, (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)))
      child.stdin!.end(JSON.stringify(CORPUS.map((c) => c.text)))
    })
    expect(JSON.parse(out)).toEqual(CORPUS.map((c) => c.dockerfileParse))
  })
})
