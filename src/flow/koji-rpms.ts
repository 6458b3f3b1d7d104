/**
 * The RPM count of a Complete build from the Koji hub. atomic-reactor 1.6.26.3 leaves the Build's `rpm-packages`
 * annotation empty and sends the image's RPM list (all_rpm_packages) to Koji only, as the image output's
 * components of the build koji_promote imports; so when the Build names its Koji build (the `koji-build-id` label)
 * and `koji-hub` is set, the count is what the hub holds for that build's images (koji/image-rpms.ts). An annotation
 * that lists RPMs is kept. A hub that cannot be asked is a warning, never a failed run: the count is left out.
 */
import { imageRpms } from '../koji/image-rpms.js'
import { shownUrl } from '../cluster/server-url.js'
import type { BuildFacts } from '../report/outputs.js'
import type { Settings } from '../settings.js'
import type { Reporter } from '../shared/reporter.js'

export interface HubRpmOptions {
  env?: Record<string, string | undefined>
  signal?: AbortSignal
  /** How long each call to the hub may take (default 30 s). */
  timeoutMs?: number
}

/** `facts` with `koji.rpmCount` from the hub, when the Build's annotation gave none and the hub can say it. */
export async function withHubRpmCount(facts: BuildFacts, settings: Pick<Settings, 'kojiHub'>, reporter: Reporter, options: HubRpmOptions = {}): Promise<BuildFacts> {
  const { buildId, rpmCount } = facts.koji
  if (rpmCount !== undefined || !buildId || !settings.kojiHub) return facts
  const hub = settings.kojiHub
  try {
    const found = await imageRpms(hub, Number(buildId), options)
    if (!found.archives.length) {
      reporter.warning(`The Koji hub ${shownUrl(hub)} holds no image archive for Koji build ${buildId}, so it lists no RPMs for it; the rpm-count output is left empty`)
      return facts
    }
    reporter.debug(`Koji build ${buildId}: ${found.rpms} RPMs in its image archives ${found.archives.join(', ')} (${shownUrl(hub)})`)
    return { ...facts, koji: { ...facts.koji, rpmCount: found.rpms } }
  } catch (error) {
    reporter.warning(
      `The RPM count of Koji build ${buildId} could not be read from the Koji hub ${shownUrl(hub)}: ${(error as Error).message}. The rpm-count output is left empty; the build itself is not affected`
    )
    return facts
  }
}
