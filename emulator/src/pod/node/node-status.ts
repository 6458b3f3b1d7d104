/**
 * What the node agent reports to the master, as a 1.11 kubelet does: the Node it registers and its status
 * (conditions, addresses, the kubelet's endpoint), and each pod's status — Running once its process started,
 * Succeeded or Failed with the container's `terminated` state when it ended. Pure: times come in.
 */
import type { KubeObject } from '../../api/object.js'

export interface NodeIdentity {
  name: string
  /** the address the master reaches the kubelet's endpoint (/containerLogs) at */
  address: string
  port: number
}

/** The Node as the kubelet registers it (POST /api/v1/nodes). */
export function nodeObject(node: NodeIdentity): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.name, labels: { 'kubernetes.io/hostname': node.name, 'node-role.kubernetes.io/compute': 'true' } },
    spec: {}
  }
}

/** The Node's status (PATCH nodes/<name>/status, merge patch): Ready, no pressure, the heartbeat at `now`. */
export function nodeStatus(node: NodeIdentity, started: string, now: string, kernel: string): Record<string, unknown> {
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: started })
  return {
    capacity: { cpu: '2', memory: '8Gi', pods: '20' },
    allocatable: { cpu: '2', memory: '8Gi', pods: '20' },
    conditions: [
      cond('OutOfDisk', 'False', 'KubeletHasSufficientDisk', 'kubelet has sufficient disk space available'),
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
    ],
    addresses: [
      { type: 'InternalIP', address: node.address },
      // the master dials the first of Hostname, InternalIP: a name it may not resolve would break the log endpoint
      { type: 'Hostname', address: node.address }
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: node.port } },
    nodeInfo: {
      machineID: node.name,
      systemUUID: node.name,
      bootID: started,
      kernelVersion: kernel,
      osImage: 'local-node (process pods)',
      containerRuntimeVersion: 'process://1',
      kubeletVersion: 'v1.11.0+d4cacc0',
      kubeProxyVersion: 'v1.11.0+d4cacc0',
      operatingSystem: 'linux',
      architecture: 'amd64'
    }
  }
}

/** A pod's container as the agent runs it: when it started, and its end when it has one. */
export interface ContainerRun {
  container: string
  image: string
  /** `process://<pid>` */
  containerID: string
  startedAt: string
  end?: { exitCode: number; finishedAt: string; message?: string; cannotRun?: boolean }
}

/** The pod's status (PATCH pods/<name>/status, merge patch) for its container's run. */
export function podStatus(run: ContainerRun, address: string): Record<string, unknown> {
  const { end } = run
  const cond = (type: string, status: boolean, at: string, reason?: string) => ({ type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at, ...(reason ? { reason } : {}) })
  const container = { name: run.container, restartCount: 0, image: run.image, imageID: `process://${run.image}`, containerID: run.containerID }
  if (!end) {
    return {
      phase: 'Running',
      hostIP: address,
      podIP: address,
      startTime: run.startedAt,
      conditions: [cond('Initialized', true, run.startedAt), cond('Ready', true, run.startedAt), cond('ContainersReady', true, run.startedAt), cond('PodScheduled', true, run.startedAt)],
      containerStatuses: [{ ...container, ready: true, state: { running: { startedAt: run.startedAt } } }]
    }
  }
  const ok = end.exitCode === 0
  const terminated = {
    exitCode: end.exitCode,
    reason: ok ? 'Completed' : end.cannotRun ? 'ContainerCannotRun' : 'Error',
    ...(end.message ? { message: end.message } : {}),
    startedAt: run.startedAt,
    finishedAt: end.finishedAt,
    containerID: run.containerID
  }
  return {
    phase: ok ? 'Succeeded' : 'Failed',
    hostIP: address,
    podIP: address,
    startTime: run.startedAt,
    conditions: [
      cond('Initialized', true, run.startedAt),
      cond('Ready', false, end.finishedAt, 'PodCompleted'),
      cond('ContainersReady', false, end.finishedAt, 'PodCompleted'),
      cond('PodScheduled', true, run.startedAt)
    ],
    containerStatuses: [{ ...container, ready: false, state: { terminated } }]
  }
}

/**
 * The termination message of a failed container whose pod asks `FallbackToLogsOnError` (3.11's build pods): the
 * last lines of its log, at most 80 lines and 2048 bytes, as the kubelet takes them.
 */
export function fallbackMessage(pod: KubeObject, lastLines: string[]): string | undefined {
  if (pod.spec?.containers?.[0]?.terminationMessagePolicy !== 'FallbackToLogsOnError') return undefined
  const text = lastLines.slice(-80).join('\n')
  const bytes = Buffer.from(text)
  return bytes.length > 2048 ? bytes.subarray(bytes.length - 2048).toString() : text || undefined
}
