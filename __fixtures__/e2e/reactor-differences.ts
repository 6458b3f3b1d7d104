/**
 * The differences between the real atomic-reactor 1.6.26.3 and the local OpenShift's in-process imitation that the
 * reactor conformance suite (__tests__/e2e-reactor-conformance.test.ts) accepts, each with its reason.
 *
 * `NORMALIZED` are set aside by the suite's measures (conformance.ts) before comparing, because they differ between
 * any two builds or any two engines, not between the two reactors; `EXPLAINED` are differences the comparison still
 * finds and accepts. Any other difference fails the suite: it is a defect of the imitation, to be fixed there.
 */
import type { ExplainedDifference } from './conformance.js'

export const NORMALIZED: { what: string; why: string }[] = [
  { what: 'image ids, digests, base image ids (`<digest>`)', why: 'the real reactor builds with podman, the imitation with buildah: two engines make different bytes of the same Dockerfile' },
  { what: 'commit ids (`<commit>`), in commit_id and the vcs-ref label', why: 'each local OpenShift builds its own repository, made at another moment' },
  { what: 'the build-date label, the unique tag (`<unique>`), registry ports', why: 'times and ports of two runs' },
  {
    what: "base-image-name when it is the build's own name (`<build>`)",
    why: "pull_base_image tags the base image it pulled with the build's name; a scratch or an isolated build's name holds a random part and a time (osbs-client's scratch-<salt>-<timestamp>, isolated-…-<timestamp>)"
  },
  {
    what: 'the koji-build-id label (`<koji-build-id>` when it is a number)',
    why: 'the Koji hub numbers builds in the order koji_promote imports them: the autorebuilds of several images run at once and reach it in any order'
  },
  { what: 'tar_metadata size and sums (their types are compared)', why: 'the archive of an image built by another engine' },
  {
    what: 'plugins-metadata: durations and timestamps by plugin, errors by plugin (not their messages)',
    why: "a failing RUN's message is the engine's own (podman: 'while running runtime: exit status 7', buildah: 'exit status 7'), in Python 3's repr here and Python 2's (u'…') in the imitation, as on OSBS's buildroot"
  },
  { what: 'the exception in the last inner log line (its class is compared)', why: 'the same engine message' }
]

export const EXPLAINED: ExplainedDifference[] = []
