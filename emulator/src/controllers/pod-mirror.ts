/**
 * The build pods as API objects: `<build>-build` in the build's namespace, reflecting the build's phase as
 * OpenShift 3.9's build controller and the kubelet leave it — created when the build goes Pending, Running with
 * the container's `imageID` (the builder image by digest, resolved through the registries), Succeeded / Failed
 * with the container's `terminated` state (exit code, reason), deleted when the build is cancelled or deleted.
 * Labels and annotations `openshift.io/build.name` and the Build ownerReference are those osbs-client's
 * `get_pod_for_build` (get-build-image-id, failure reasons) selects and reads.
 *
 * The pod's work itself is the in-process reactor of controller.ts; this module only mirrors it into the store.
 */
import { createHash } from 'node:crypto'
import { buildPodEnv, DOCKER_SOCKET_PATH } from '../pod/env.js'
import type { Images } from '../registry/imagestream/images.js'
import { nowRFC3339, type KubeObject, type Store, type StoreEvent } from '../storage/store.js'

export const BUILD_NAME = 'openshift.io/build.name'

export const podName = (build: string): string => `${build}-build`

const hex = (s: string): string => createHash('sha256').update(s).digest('hex')

function strategy(build: KubeObject): { container: string; from?: any; env: any[]; forcePull: boolean } {
  const st = build.spec?.strategy ?? {}
  if (st.customStrategy) return { container: 'custom-build', from: st.customStrategy.from, env: st.customStrategy.env ?? [], forcePull: !!st.customStrategy.forcePull }
  if (st.dockerStrategy) return { container: 'docker-build', from: st.dockerStrategy.from, env: st.dockerStrategy.env ?? [], forcePull: !!st.dockerStrategy.forcePull }
  return { container: 'sti-build', from: st.sourceStrategy?.from, env: st.sourceStrategy?.env ?? [], forcePull: !!st.sourceStrategy?.forcePull }
}

/** The phase of the pod of a build in `phase`; undefined: the build has no pod (New, Cancelled). */
export function podPhase(buildPhase: string | undefined): string | undefined {
  switch (buildPhase) {
    case 'Pending':
      return 'Pending'
    case 'Running':
      return 'Running'
    case 'Complete':
      return 'Succeeded'
    case 'Failed':
    case 'Error':
      return 'Failed'
    default:
      return undefined
  }
}

/** The build container's state in a pod of `phase`, as the kubelet reports it. */
function containerState(build: KubeObject, phase: string, startedAt: string, containerID: string, now: string): Record<string, unknown> {
  if (phase === 'Pending') return { waiting: { reason: 'ContainerCreating' } }
  if (phase === 'Running') return { running: { startedAt } }
  const ok = phase === 'Succeeded'
  return {
    terminated: {
      exitCode: ok ? 0 : 1,
      reason: ok ? 'Completed' : 'Error',
      ...(ok ? {} : { message: build.status?.message ?? 'build failed' }),
      startedAt,
      finishedAt: build.status?.completionTimestamp ?? now,
      containerID
    }
  }
}

/**
 * The pod's volumes and the container's mounts, as 3.11's build controller and the service account admission make
 * them: the docker socket first, the push secret (`<secret>-push` at /var/run/secrets/openshift.io/push), the
 * account's token last.
 */
function podVolumes(build: KubeObject, tokenSecret: string | undefined): { volumes: any[]; volumeMounts: any[] } {
  const volumes: any[] = []
  const volumeMounts: any[] = []
  if (build.spec?.strategy?.customStrategy?.exposeDockerSocket) {
    volumes.push({ name: 'docker-socket', hostPath: { path: DOCKER_SOCKET_PATH, type: '' } })
    volumeMounts.push({ name: 'docker-socket', mountPath: DOCKER_SOCKET_PATH })
  }
  const push = build.spec?.output?.pushSecret?.name as string | undefined
  if (push) {
    volumes.push({ name: `${push}-push`, secret: { secretName: push, defaultMode: 384 } })
    volumeMounts.push({ name: `${push}-push`, readOnly: true, mountPath: '/var/run/secrets/openshift.io/push' })
  }
  if (tokenSecret) {
    volumes.push({ name: tokenSecret, secret: { secretName: tokenSecret, defaultMode: 420 } })
    volumeMounts.push({ name: tokenSecret, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' })
  }
  return { volumes, volumeMounts }
}

/**
 * The Pod of `build` (in a phase that has one), keeping what the previous state of the pod already fixed
 * (creation, start). `imageID` is the builder image by digest (`docker-pullable://repo@sha256:…`).
 */
export function buildPod(build: KubeObject, previous: KubeObject | undefined, imageID: string, now = nowRFC3339(), tokenSecret?: string): KubeObject {
  const name = build.metadata.name
  const phase = podPhase(build.status?.phase) ?? 'Pending'
  const { container, from, forcePull } = strategy(build)
  // a Custom build's container gets the build controller's environment (3.11's custom.go; Go omits an empty value)
  const env = build.spec?.strategy?.customStrategy ? buildPodEnv(build).map((e) => (e.value === '' ? { name: e.name } : e)) : strategy(build).env
  const image = from?.name ?? ''
  const containerID = `docker://${hex(`${build.metadata.uid}/${container}`)}`
  const started = previous?.status?.startTime ?? build.status?.startTimestamp ?? now
  const containerStarted = build.status?.startTimestamp ?? now
  const running = phase === 'Running'
  const finished = phase === 'Succeeded' || phase === 'Failed'
  const state = containerState(build, phase, containerStarted, containerID, now)
  const { volumes, volumeMounts } = podVolumes(build, tokenSecret)
  const cond = (type: string, status: boolean, reason?: string) => ({ type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: started, ...(reason ? { reason } : {}) })
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: podName(name),
      namespace: build.metadata.namespace,
      labels: { [BUILD_NAME]: name },
      annotations: { [BUILD_NAME]: name, 'openshift.io/scc': 'privileged' },
      ownerReferences: [{ apiVersion: 'build.openshift.io/v1', kind: 'Build', name, uid: build.metadata.uid, controller: true }]
    },
    spec: {
      volumes,
      containers: [
        {
          name: container,
          image,
          env,
          resources: build.spec?.resources ?? {},
          volumeMounts,
          terminationMessagePath: '/dev/termination-log',
          // 3.11's build controller sets it so (the build's last log lines become the termination message)
          terminationMessagePolicy: 'FallbackToLogsOnError',
          imagePullPolicy: forcePull ? 'Always' : 'IfNotPresent',
          securityContext: { privileged: true }
        }
      ],
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 30,
      ...(build.spec?.completionDeadlineSeconds ? { activeDeadlineSeconds: build.spec.completionDeadlineSeconds } : {}),
      dnsPolicy: 'ClusterFirst',
      nodeSelector: build.spec?.nodeSelector ?? undefined,
      serviceAccountName: build.spec?.serviceAccount ?? 'builder',
      serviceAccount: build.spec?.serviceAccount ?? 'builder',
      nodeName: 'localhost',
      securityContext: {},
      schedulerName: 'default-scheduler'
    },
    status: {
      phase,
      conditions: [cond('Initialized', true), cond('Ready', running, running ? undefined : finished ? 'PodCompleted' : 'ContainersNotReady'), cond('PodScheduled', true)],
      hostIP: '127.0.0.1',
      podIP: phase === 'Pending' ? undefined : `10.128.0.${(parseInt(hex(name).slice(0, 4), 16) % 250) + 2}`,
      startTime: started,
      containerStatuses: [
        {
          name: container,
          state,
          lastState: {},
          ready: running,
          restartCount: 0,
          image,
          imageID: phase === 'Pending' ? '' : imageID,
          ...(phase === 'Pending' ? {} : { containerID })
        }
      ],
      qosClass: 'BestEffort'
    }
  }
}

/** Keeps one Pod object per build that has one, in step with the build. */
export class PodMirror {
  private unsubscribe?: () => void

  constructor(
    private readonly store: Store,
    private readonly images: Images
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e))
    for (const b of this.store.peekList('builds')) {
      // builds that came back from a saved state as BuildPodDeleted have lost their pod
      if (b.status?.reason !== 'BuildPodDeleted') this.sync(b)
    }
  }

  close(): void {
    this.unsubscribe?.()
  }

  private onEvent(e: StoreEvent): void {
    if (e.plural !== 'builds') return
    if (e.type === 'DELETED') this.remove(e.object)
    else this.sync(e.object)
  }

  private remove(build: KubeObject): void {
    const ns = build.metadata.namespace!
    if (this.store.has('pods', ns, podName(build.metadata.name))) this.store.delete('pods', ns, podName(build.metadata.name))
  }

  private imageID(build: KubeObject): string {
    const image = strategy(build).from?.name
    if (!image) return ''
    try {
      return `docker-pullable://${this.images.resolve(image).dockerImageReference}`
    } catch {
      return ''
    }
  }

  private sync(build: KubeObject): void {
    const ns = build.metadata.namespace!
    const name = podName(build.metadata.name)
    const current = this.store.peek('pods', ns, name)
    if (!podPhase(build.status?.phase)) {
      // Cancelled: OpenShift deletes the pod; New: there is none yet
      if (current) this.store.delete('pods', ns, name)
      return
    }
    const account = build.spec?.serviceAccount ?? 'builder'
    const tokenSecret = ((this.store.peek('serviceaccounts', ns, account)?.secrets ?? []) as Array<{ name?: string }>).map((x) => x.name).find((n) => n?.includes('-token-'))
    const desired = buildPod(build, current, current?.status?.containerStatuses?.[0]?.imageID || this.imageID(build), nowRFC3339(), tokenSecret)
    if (!current) {
      this.store.create('pods', desired)
      return
    }
    if (JSON.stringify(current.status) === JSON.stringify(desired.status)) return
    this.store.update('pods', { ...current, status: desired.status }, current.metadata.resourceVersion)
  }
}
