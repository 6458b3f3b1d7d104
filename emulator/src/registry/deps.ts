/** What the resources need beyond the store, given once by the composition root (the `deps` of the machinery). */
import type { Accounts } from '../apiserver/authn.js'
import type { Subject } from '../apiserver/authz.js'
import type { LogStore } from '../storage/build-logs.js'
import type { Images } from './imagestream/images.js'

export interface RegistryDeps {
  /** who a token is (`users/~`) */
  accounts: Accounts
  images: Images
  logs: LogStore
  /** seconds a log request waits for a New/Pending build (OpenShift 3.x: 10) */
  logWaitSeconds: number
  /** the subjects bound to `system:build-strategy-custom`: the only accounts that may write Custom-strategy builds */
  customStrategySubjects: readonly Subject[]
  /**
   * Record what the real registries serve now for these pull specs (real builds only: images pushed there by others,
   * the real atomic-reactor's podman or someone by hand), before an import reads them, as OpenShift asks the
   * registry on every import.
   */
  refreshRegistries?: (pullSpecs: string[]) => Promise<void>
}
