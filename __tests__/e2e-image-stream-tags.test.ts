/**
 * End to end: `node dist/index.js` builds the same image three times against the local OpenShift, which imports an
 * ImageStream as OpenShift 3.11 does (a repository import makes each tag it finds a spec tag). The built image's
 * ImageStream keeps exactly the tags the action means (`<version>`, `latest`), not one more per build.
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { runAction } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 2 })
const tmp = makeTempDir('osbs-e2e-is-tags-')
const REPOSITORY = 'registry.example.com:5000/acme/tags'

describe("the built image's ImageStream, build after build", () => {
  it('holds the spec tags 1.0 and latest after each of three builds, with no spec.dockerImageRepository', async () => {
    let app = makeRepo(path.join(tmp, 'tags'), { Dockerfile: dockerfile('fedora:latest', 'acme/tags', '1.0', 'RUN echo 1\n') })
    for (let n = 1; n <= 3; n++) {
      if (n > 1) app = commitFiles(app, { Dockerfile: dockerfile('fedora:latest', 'acme/tags', '1.0', `RUN echo ${n}\n`) }, `build ${n}`)
      const run = await runAction({ checkout: app, inputs: { ...local.inputs(), 'registry-uri': `${REPOSITORY.split('/')[0]}/v2` } })
      expect(run.code).toBe(0)
      expect(run.outputs.image).toBe(`${REPOSITORY}:1.0-${n}`)
      const stream = local.emulator.store.get('imagestreams', local.emulator.namespace, 'acme-tags')!
      expect(stream.spec.dockerImageRepository).toBeUndefined()
      expect(stream.spec.tags.map((t: any) => [t.name, t.from.name, t.importPolicy.scheduled])).toEqual([
        ['1.0', `${REPOSITORY}:1.0`, true],
        ['latest', `${REPOSITORY}:latest`, true]
      ])
      expect(stream.status.tags.map((t: any) => t.tag)).toEqual(['1.0', 'latest'])
      expect(stream.status.tags[1].items[0].image).toBe(run.outputs['image-digest'])
    }
    // the registry holds every build's tags; the stream follows only the moving ones
    expect(local.emulator.registries.findRegistry(REPOSITORY.split('/')[0])?.tags('acme/tags')).toEqual(expect.arrayContaining(['1.0-1', '1.0-2', '1.0-3', '1.0', 'latest']))
  })
})
