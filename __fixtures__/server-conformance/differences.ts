/**
 * The differences between the real OpenShift 3.11 master and the local OpenShift that the server conformance suite
 * (__tests__/server-conformance.test.ts) accepts, each with its reason. Any other difference fails the suite: it is
 * a defect of the local OpenShift, to be fixed there. The suite also fails when an entry here no longer matches
 * any difference (the local OpenShift was fixed: remove the entry).
 */
import type { AcceptedDifference } from './harness.js'

const IMPORT_TIMING =
  "the local OpenShift imports a stream's DockerImage spec tags while it writes the stream, so its answer to the write shows them imported (the import's generation + 1, the tag events, the import annotation); 3.11's image import controller imports them a moment after the answer. Once imported, the stream is the same (`get once imported`, `import one tag`)"

export const ACCEPTED: AcceptedDifference[] = [
  ...['images', 'imagesignatures', 'imagestreamimages', 'imagestreammappings', 'imagestreams/layers'].map((r) => ({
    sequence: 'discovery',
    step: 'image group',
    path: `body.resources[${r}]`,
    why: 'the local OpenShift does not serve this resource (no request of the action, osbs-client or atomic-reactor 1.6.26.3 uses it); discovery lists only what it serves'
  })),
  {
    sequence: 'discovery',
    step: 'version',
    path: 'body.goVersion',
    why: "the recording master was built from source with Go 1.19 (patched for it); OpenShift's own v3.11.0 binaries were built with Go 1.10, which the local OpenShift reports"
  },
  ...['body.metadata.generation', 'body.metadata.annotations.openshift.io/image.dockerRepositoryCheck', 'body.spec.tags', 'body.status.tags'].map((path) => ({
    sequence: 'imagestream',
    step: 'create',
    path,
    why: IMPORT_TIMING
  })),
  ...['body.metadata.generation', 'body.spec.tags', 'body.status.tags'].map((path) => ({ sequence: 'imagestream', step: 'update', path, why: IMPORT_TIMING })),
  ...['body.status.images[0].image.dockerImageMetadata', 'body.status.images[0].image.dockerImageLayers'].map((path) => ({
    sequence: 'imagestream',
    step: 'import one tag',
    path,
    why: "the image itself: the recording's registry holds a busybox image built by buildah (its config, command, labels, one layer); the local OpenShift's Image objects are made from its in-memory registry's synthetic images and carry no config or layers (a known limit: no request of the action reads them from an import)"
  }))
]
