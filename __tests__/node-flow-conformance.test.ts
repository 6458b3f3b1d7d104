/**
 * The build flow recorded from a real OpenShift 3.11 master with the local node (__fixtures__/node-flow.ts,
 * __fixtures__/openshift/recorded-3.11-node/) against the local OpenShift's own: the same BuildConfig and
 * BuildRequest the action posted there are posted here, the build runs (the emulated atomic-reactor), and its pod
 * (container, environment, volumes) and the Build's labels and annotations are compared with what the real build
 * controller and the real store_metadata_in_osv3 made. A difference fails unless ACCEPTED names it with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { makeRepo } from '../__fixtures__/e2e/git.js'
import { recordBuildMetadata, recordPod, type FlowNames, type NodeFlowRecording } from '../__fixtures__/node-flow.js'
import { readOpenShiftJson } from '../__fixtures__/openshift-data.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { startCluster, type Cluster } from '../emulator/src/index.js'
import { call } from '../emulator/testing/client.js'

const recording = readOpenShiftJson('recorded-3.11-node', 'build-flow.json') as NodeFlowRecording
const REGISTRY = 'registry.node-flow.invalid:5000'

/** Differences between the recording and the local OpenShift that are known, each with its reason (path → reason). */
const ACCEPTED: Record<string, string> = {
  '/pod/container/env/0/json/spec/revision/git/author':
    "3.11 serializes the empty author and committer of a BuildRequest's revision as {}; the local OpenShift stores none (atomic-reactor reads neither)",
  '/pod/container/env/0/json/spec/revision/git/committer': 'as author',
  '/annotations/plugins-metadata/json/timestamps/add_dockerfile':
    'the real add_dockerfile raises in its constructor without a release label (no N-V-R), so no start time is recorded for it; the emulated one records one (it adds no Dockerfile either)'
}

/** Every path where `a` and `b` differ, with both values (short). */
export function diff(a: unknown, b: unknown, at = ''): { path: string; recorded: string; local: string }[] {
  const short = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 200))
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(Math.max(a.length, (b as unknown[]).length)).keys()].map(String) : [...new Set([...Object.keys(a), ...Object.keys(b)])]
    return keys.flatMap((k) => diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`))
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: at, recorded: short(a), local: short(b) }]
}

describe('the build flow on the local OpenShift, against the one recorded from a real 3.11 master with the local node', () => {
  let cluster: Cluster
  let names: FlowNames
  let local: { pod: unknown; labels: unknown; annotations: unknown }
  const create = recording.flows.find((f) => f.name === 'create')!

  beforeAll(async () => {
    cluster = await startCluster({ port: 0, namespace: 'osbs', kubeconfig: false, koji: false, podStartDelay: 1 })
    const dir = makeTempDir('node-flow-')
    const dockerfile = (create.annotations.dockerfile as string).split('\n\n')[0]!.replace(/^FROM .*/, 'FROM fedora:latest')
    const repo = makeRepo(path.join(dir, 'app'), { Dockerfile: `${dockerfile}\n` })
    cluster.registries.push(REGISTRY, 'fedora', 'latest', { imageId: `sha256:${'1'.repeat(64)}`, labels: {}, architecture: 'amd64', created: '2026-01-01T00:00:00Z' })
    names = { registry: REGISTRY, master: cluster.url, gitUri: repo.uri }
    const fill = (v: unknown) =>
      JSON.parse(
        JSON.stringify(v)
          .replaceAll('<registry>', REGISTRY)
          .replaceAll('<master>', cluster.url)
          .replaceAll('<git-uri>', repo.uri)
          .replaceAll('<commit>', repo.commit)
          .replaceAll('none-<unique>', 'none-1-20260101000000')
      )
    const post = async (p: string, body: unknown) => {
      const res = await fetch(`${cluster.url}${p}`, { method: 'POST', headers: { Authorization: `Bearer ${cluster.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      expect(res.status).toBe(201)
      return (await res.json()) as { metadata: { name: string } }
    }
    await post('/apis/build.openshift.io/v1/namespaces/osbs/buildconfigs', fill(create.buildConfig))
    const build = await post('/apis/build.openshift.io/v1/namespaces/osbs/buildconfigs/app-main-a8805/instantiate', fill(create.buildRequest))
    // the followed log ends when the build has ended (its phase is written before)
    await call(cluster, 'GET', `/apis/build.openshift.io/v1/namespaces/osbs/builds/${build.metadata.name}/log?follow=true`)
    const b = cluster.store.get('builds', 'osbs', build.metadata.name)!
    expect(b.status?.phase).toBe('Complete')
    local = { pod: recordPod(cluster.store.get('pods', 'osbs', `${build.metadata.name}-build`), names), ...recordBuildMetadata(b, names) }
  })
  afterAll(async () => {
    await cluster?.close()
  })

  const check = (part: 'pod' | 'labels' | 'annotations') => {
    const found = diff(create[part], local[part], `/${part}`)
    const unaccepted = found.filter((d) => !Object.keys(ACCEPTED).some((p) => d.path === p || d.path.startsWith(`${p}/`)))
    expect(unaccepted).toEqual([])
  }

  it("the build pod: container, environment in the controller's order with its values, volumes, account", () => check('pod'))
  it('the Build labels after the build', () => check('labels'))
  it("the Build annotations store_metadata_in_osv3 wrote (values normalized: digests, times, the run's names)", () => check('annotations'))
})
