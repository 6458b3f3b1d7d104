/**
 * The real atomic-reactor 1.6.26.3 as the build pod: `atomic-reactor --verbose inside-build --input osv3`, unchanged,
 * from the peers' sources, on this machine's Python, talking to
 * - podman's Docker-compatible API (podman-service.ts) for pulls, `docker build`, tags and pushes;
 * - the local OpenShift's API through osbs-client (check_and_set_rebuild, import_image, store_metadata_in_osv3),
 *   authenticated by the build's service account token mounted where a pod has it;
 * - the local Koji hub (bump_release);
 * - the cluster's registries over TLS.
 *
 * The builder image's own content is the peers' code (on PYTHONPATH, with the project's start-up shims first) and
 * osbs-client's build JSON templates at /usr/share/osbs, where OSBS's buildroot image has them.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { podPluginConfig } from '../env.js'
import type { ReactorHost, ReactorResult } from '../../reactor/host.js'
import type { KubeObject, StoreReader } from '../../storage/store.js'
import { kojiBuildOf } from '../koji-record.js'
import { PYTHON_SHIMS } from './peers.js'
import { PodmanService } from '../podman/podman-service.js'
import { volumesFromStore } from '../volumes.js'
import { ProcessPods } from '../process/process-pod.js'
import type { ReactorTools } from './reactor-tools.js'

/** Where OSBS's buildroot image has osbs-client's build JSON templates (the action's default `build-json-dir`). */
export const BUILD_JSON_DIR = '/usr/share/osbs'

export interface AtomicReactorPodsOptions {
  tools: ReactorTools
  /** util-linux `setpriv`, to tie each pod's life to this process's */
  setpriv?: string
  /**
   * The registries podman may use without verifying them (`127.0.0.1:PORT`). Each pod gets a podman service of its
   * own (its node's docker daemon, atomic-reactor's `DOCKER_CONNECTION`): pods that share one remove each other's
   * images (pull_base_image's retag of the parent races another build's remove_built_image, as on a shared node)
   */
  insecureRegistries: string[]
  /** more variables for the pod (e.g. the registries' CA bundle) */
  env?: Record<string, string>
  /** a folder for the pods' files */
  dir: string
  /** the local OpenShift's store, for its own builds; without one the pods come from a master (node/, `runPod`) */
  store?: StoreReader
  gracePeriodMs?: number
}

/** Plugins that need a Pulp server (through dockpulp): there is none here. */
const PULP_PLUGINS = ['pulp_push', 'pulp_sync', 'pulp_pull', 'pulp_publish', 'pulp_tag']

/** The refusal of a build whose plugins need Pulp, naming them; undefined when none does. */
export function pulpRefusal(build: KubeObject): string | undefined {
  // no configuration, or not JSON: atomic-reactor itself says what is wrong with it
  const used = Object.values(podPluginConfig(build) ?? {})
    .flatMap((list) => (Array.isArray(list) ? (list as { name?: unknown }[]) : []))
    .map((p) => p?.name)
    .filter((n): n is string => typeof n === 'string' && PULP_PLUGINS.includes(n))
  if (!used.length) return undefined
  return (
    `the local OpenShift runs the real atomic-reactor, and this build needs Pulp (${[...new Set(used)].join(', ')}): ` +
    'there is no Pulp server here, nor dockpulp, the library those plugins use. Leave out pulp-registry-name and ' +
    'pulp-sync-registry-name, or start the local OpenShift with --reactor emulated, whose Pulp is emulated'
  )
}

/**
 * The refusal of a build whose koji_promote would run `/bin/rpm -qa` in the builder (the buildroot's components)
 * on a machine without rpm: the plugin would fail with a NameError of its own (its error path names a variable it
 * never set). Undefined when rpm is there or koji_promote does not run.
 */
export function rpmRefusal(build: KubeObject, rpmInstalled: () => boolean = () => existsSync('/bin/rpm')): string | undefined {
  const exit = podPluginConfig(build)?.exit_plugins
  if (!Array.isArray(exit) || !(exit as { name?: unknown }[]).some((p) => p?.name === 'koji_promote')) return undefined
  if (rpmInstalled()) return undefined
  return "the local OpenShift runs the real atomic-reactor, and this build's koji_promote runs /bin/rpm -qa in the builder: install rpm (apt-get install rpm)"
}

/** The build pods running the real atomic-reactor; `reactor` is the cluster's Reactor, `runPod` a master's pod, `close()` ends them all. */
export function atomicReactorPods(options: AtomicReactorPodsOptions): ProcessPods {
  const { tools, store } = options
  const peers = tools.peers
  return new ProcessPods({
    command: [tools.python, '-m', 'atomic_reactor.cli.main', '--verbose', 'inside-build', '--input', 'osv3'],
    unshare: tools.unshare,
    setpriv: options.setpriv,
    dir: options.dir,
    imageMounts: [{ source: join(peers.osbsClient, 'inputs'), target: BUILD_JSON_DIR, readOnly: true }],
    extraEnv: {
      PYTHONPATH: [PYTHON_SHIMS, peers.atomicReactor, peers.dockerfileParse, peers.osbsClient, peers.koji].join(':'),
      // lines reach the log as they are written; the peers' folders stay as they are
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      ...(options.env ?? {})
    },
    gracePeriodMs: options.gracePeriodMs,
    volumes: store ? (namespace) => volumesFromStore(store, namespace) : undefined,
    refuse: (build) => pulpRefusal(build) ?? rpmRefusal(build),
    sidecar: async (dir) => {
      const podman = await PodmanService.start({ dir, insecureRegistries: options.insecureRegistries, podman: tools.podman, runc: tools.runc })
      return { env: { DOCKER_CONNECTION: podman.socket }, stop: () => podman.stop() }
    },
    completed: (host: ReactorHost, success: boolean): Partial<ReactorResult> | undefined => {
      if (!success || !store) return undefined
      const build = store.get('builds', host.namespace, host.build.metadata.name)
      const kojiBuild = build ? kojiBuildOf(build) : undefined
      return kojiBuild ? { kojiBuild } : undefined
    }
  })
}
