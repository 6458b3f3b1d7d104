/**
 * The request sequences of the server conformance suite: what the action (and osbs-client, kubectl) ask an
 * OpenShift 3.11 API server, with no node to run build pods (the recording master has none; the local OpenShift's
 * pods are held Pending): the BuildConfig the action renders written, read, updated; instantiate, the Build read,
 * watched and cancelled with the action's PATCH; the log of a build that never runs and of one that ended without
 * running; the ImageStream the action writes (spec tags) and an ImageStreamImport; the error answers (404, 409,
 * 422, the Custom strategy's 403) and discovery. Each sequence is recorded from a real master
 * (scripts/record-server-conformance.ts) and replayed against the local OpenShift (__tests__/server-conformance.test.ts).
 */
import { makePlan } from '../dry-run/settings.js'
import { renderImageStream } from '../../src/render/image-stream.js'
import type { Session } from './harness.js'

export interface Sequence {
  name: string
  description: string
  run: (s: Session) => Promise<void>
}

const B = (ns: string) => `/apis/build.openshift.io/v1/namespaces/${ns}`
const I = (ns: string) => `/apis/image.openshift.io/v1/namespaces/${ns}`
const MERGE = 'application/merge-patch+json'

/** The BuildConfig the action renders (its dry run's `build-config-json`), or the target's, named for this run. */
function buildConfig(s: Session, name: string): any {
  const bc = structuredClone(s.target.buildConfig ?? makePlan({ namespace: s.target.namespace }).buildConfig) as any
  bc.metadata.name = name
  bc.metadata.namespace = s.target.namespace
  return bc
}

/** Until `check` holds (polled on the answers the session reads; 20 s at most). */
async function until(what: string, check: () => boolean | Promise<boolean>, limitMs = 20000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export const SEQUENCES: Sequence[] = [
  {
    name: 'discovery',
    description: 'the build and image API groups the action checks, and /version',
    run: async (s) => {
      await s.call('build group', 'GET', '/apis/build.openshift.io/v1')
      await s.call('image group', 'GET', '/apis/image.openshift.io/v1')
      await s.call('version', 'GET', '/version')
    }
  },
  {
    name: 'buildconfig',
    description: "the action's BuildConfig created, read, updated with its resourceVersion; a stale update (409), a missing one (404), an invalid one (422)",
    run: async (s) => {
      const ns = s.target.namespace
      const name = `conf-${s.id}`
      const created = await s.call('create', 'POST', `${B(ns)}/buildconfigs`, { body: buildConfig(s, name) })
      const read = await s.call('get', 'GET', `${B(ns)}/buildconfigs/${name}`)
      const changed = structuredClone(read.json)
      changed.metadata.labels = { ...changed.metadata.labels, 'git-branch': 'next' }
      await s.call('update', 'PUT', `${B(ns)}/buildconfigs/${name}`, { body: changed })
      const stale = structuredClone(created.json)
      stale.metadata.labels = { ...stale.metadata.labels, 'git-branch': 'stale' }
      await s.call('update with a stale resourceVersion', 'PUT', `${B(ns)}/buildconfigs/${name}`, { body: stale })
      await s.call('get a missing one', 'GET', `${B(ns)}/buildconfigs/${name}-missing`)
      const invalid = buildConfig(s, `Conf_${s.id}`)
      await s.call('create an invalid one', 'POST', `${B(ns)}/buildconfigs`, { body: invalid })
      await s.send('DELETE', `${B(ns)}/buildconfigs/${name}`, {})
    }
  },
  {
    name: 'custom-strategy',
    description: 'an account without system:build-strategy-custom: the BuildConfig write refused (403), and what a SelfSubjectAccessReview answers each account',
    run: async (s) => {
      const ns = s.target.namespace
      await s.call('create without the role', 'POST', `${B(ns)}/buildconfigs`, { body: buildConfig(s, `conf-${s.id}`), as: 'plain' })
      const review = {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: { resourceAttributes: { namespace: ns, verb: 'create', group: 'build.openshift.io', resource: 'builds', subresource: 'custom' } }
      }
      const plain = await s.send('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: review, as: 'plain' })
      const allowed = await s.send('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: review })
      // the review's reason names the binding (3.11: its role binding's name): only `allowed` is compared
      s.steps.push({
        step: 'access reviews',
        request: { method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews' },
        status: plain.status,
        body: { plain: plain.json?.status?.allowed, withRole: allowed.json?.status?.allowed, statuses: [plain.status, allowed.status] }
      })
    }
  },
  {
    name: 'build',
    description: 'instantiate, the Build read, watched while the action cancels it (its merge PATCH; refused to an account without the Custom role), then its log (400)',
    run: async (s) => {
      const ns = s.target.namespace
      const name = `conf-${s.id}`
      await s.send('POST', `${B(ns)}/buildconfigs`, { body: buildConfig(s, name) })
      const build = await s.call('instantiate', 'POST', `${B(ns)}/buildconfigs/${name}/instantiate`, {
        body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name }, triggeredBy: [{ message: 'Build started by the conformance suite' }] }
      })
      const b = build.json.metadata.name as string
      // once Pending: right after instantiate 3.11's build controller may not have seen the Build yet (New)
      await until(`${b} Pending`, async () => (await s.send('GET', `${B(ns)}/builds/${b}`, {})).json?.status?.phase === 'Pending')
      await s.call('get once Pending', 'GET', `${B(ns)}/builds/${b}`)
      const watch = `${B(ns)}/builds?fieldSelector=${encodeURIComponent(`metadata.name=${b}`)}&resourceVersion=${build.json.metadata.resourceVersion}&watch=true`
      await s.watch(
        'watch until cancelled',
        watch,
        async (seen) => {
          await until(`${b} Pending`, () => seen().some((e) => e.object?.status?.phase === 'Pending'))
          await s.call('cancel without the role', 'PATCH', `${B(ns)}/builds/${b}`, { body: { status: { cancelled: true } }, contentType: MERGE, as: 'plain' })
          await s.call('cancel', 'PATCH', `${B(ns)}/builds/${b}`, { body: { status: { cancelled: true } }, contentType: MERGE })
        },
        (events) => events.some((e) => e.object?.status?.phase === 'Cancelled')
      )
      await s.call('get after cancel', 'GET', `${B(ns)}/builds/${b}`)
      await s.call('log of the cancelled build', 'GET', `${B(ns)}/builds/${b}/log?follow=true`)
      await s.send('DELETE', `${B(ns)}/buildconfigs/${name}`, {})
    }
  },
  {
    name: 'watch-expired',
    description: 'a watch from a resourceVersion the server no longer holds (the action re-lists then): a 200 stream with one ERROR event, 410 Expired; allowWatchBookmarks is ignored',
    run: async (s) => {
      const ns = s.target.namespace
      await s.watch(
        'watch from resourceVersion 1',
        `${B(ns)}/builds?watch=true&resourceVersion=1&allowWatchBookmarks=true`,
        async () => {},
        (events) => events.some((e) => e.type === 'ERROR'),
        10000
      )
    }
  },
  {
    name: 'log-without-node',
    description: "the log of a build whose pod never runs: after the server's wait a 400; once the build ended without running, 200 and no body",
    run: async (s) => {
      const ns = s.target.namespace
      const name = `conf-${s.id}`
      await s.send('POST', `${B(ns)}/buildconfigs`, { body: buildConfig(s, name) })
      const build = await s.send('POST', `${B(ns)}/buildconfigs/${name}/instantiate`, { body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name } } })
      const b = build.json.metadata.name as string
      await until(`${b} Pending`, async () => (await s.send('GET', `${B(ns)}/builds/${b}`, {})).json?.status?.phase === 'Pending')
      await s.call('follow before it runs', 'GET', `${B(ns)}/builds/${b}/log?follow=true`)
      await s.call('nowait before it runs', 'GET', `${B(ns)}/builds/${b}/log?nowait=true`)
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
      await s.call('ended without running', 'PATCH', `${B(ns)}/builds/${b}`, {
        body: { status: { phase: 'Failed', startTimestamp: now, completionTimestamp: now, duration: 1000000000 } },
        contentType: MERGE
      })
      await s.call('log after the end', 'GET', `${B(ns)}/builds/${b}/log`)
      await s.call('followed log after the end', 'GET', `${B(ns)}/builds/${b}/log?follow=true`)
      await s.send('DELETE', `${B(ns)}/buildconfigs/${name}`, {})
    }
  },
  {
    name: 'build-pod',
    description: "the build's pod as the build controller makes it (osbs-client reads it by the build-name label): its container, environment, volumes, account",
    run: async (s) => {
      const ns = s.target.namespace
      const name = `conf-${s.id}`
      await s.send('POST', `${B(ns)}/buildconfigs`, { body: buildConfig(s, name) })
      const build = await s.send('POST', `${B(ns)}/buildconfigs/${name}/instantiate`, { body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name } } })
      const b = build.json.metadata.name as string
      await until(`${b} Pending`, async () => (await s.send('GET', `${B(ns)}/builds/${b}`, {})).json?.status?.phase === 'Pending')
      await s.call('pods of the build', 'GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`openshift.io/build.name=${b}`)}`, {
        // the pod's build-relevant parts; BUILD (the Build as JSON) by its presence only
        keep: (list) =>
          (list.items ?? []).map((pod: any) => ({
            metadata: {
              name: pod.metadata.name,
              labels: pod.metadata.labels,
              annotations: pod.metadata.annotations,
              ownerReferences: pod.metadata.ownerReferences?.map((r: any) => ({ kind: r.kind, name: r.name, controller: r.controller }))
            },
            spec: {
              serviceAccountName: pod.spec.serviceAccountName,
              restartPolicy: pod.spec.restartPolicy,
              containers: pod.spec.containers.map((c: any) => ({
                name: c.name,
                image: c.image,
                env: (c.env ?? []).map((e: any) => (e.name === 'BUILD' ? { name: e.name } : e)),
                securityContext: c.securityContext,
                terminationMessagePolicy: c.terminationMessagePolicy,
                volumeMounts: c.volumeMounts
              })),
              volumes: pod.spec.volumes
            },
            status: { phase: pod.status?.phase }
          }))
      })
      await s.send('DELETE', `${B(ns)}/buildconfigs/${name}`, {})
    }
  },
  {
    name: 'imagestream',
    description: 'the ImageStream the action writes (spec tags, scheduled, insecure), read once imported, updated; an ImageStreamImport of one tag',
    run: async (s) => {
      const ns = s.target.namespace
      const name = `conf-${s.id}`
      const body = renderImageStream({ name, repository: `${s.target.registry}/acme/app`, insecure: true, tags: ['1.0', 'latest'] })
      await s.call('create', 'POST', `${I(ns)}/imagestreams`, { body })
      const imported = async (n: number) => (await s.send('GET', `${I(ns)}/imagestreams/${name}`, {})).json?.status?.tags?.filter((t: any) => t.items?.length).length === n
      await until(`${name} imported`, () => imported(2))
      const read = await s.call('get once imported', 'GET', `${I(ns)}/imagestreams/${name}`)
      const changed = structuredClone(read.json)
      changed.spec.tags.push({ name: 'stable', from: { kind: 'DockerImage', name: `${s.target.registry}/acme/app:latest` }, importPolicy: { scheduled: true, insecure: true } })
      await s.call('update', 'PUT', `${I(ns)}/imagestreams/${name}`, { body: changed })
      // the import the update starts writes the stream: an ImageStreamImport meanwhile would be a 409
      await until(`${name}:stable imported`, () => imported(3))
      await s.call('import one tag', 'POST', `${I(ns)}/imagestreamimports`, {
        body: {
          kind: 'ImageStreamImport',
          apiVersion: 'image.openshift.io/v1',
          metadata: { name },
          spec: { import: true, images: [{ from: { kind: 'DockerImage', name: `${s.target.registry}/acme/app:1.0` }, to: { name: 'v1' }, importPolicy: { insecure: true } }] },
          status: {}
        }
      })
      await s.send('DELETE', `${I(ns)}/imagestreams/${name}`, {})
    }
  }
]
