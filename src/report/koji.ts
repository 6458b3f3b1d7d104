/**
 * What a finished Build says about its Koji build and its RPMs. atomic-reactor 1.6.26.3's store_metadata_in_osv3
 * writes koji_promote's result as the Build's label `koji-build-id`, the final Dockerfile as the annotation
 * `dockerfile` (with the release bump_release or the isolated build's release put in), and `rpm-packages` as an
 * empty annotation (its all_rpm_packages list goes into the Koji build instead); a reactor that fills that
 * annotation gives the RPM count here, else the flow asks the Koji hub for it (flow/koji-rpms.ts).
 */
import { analyzeDockerfile, pick } from '../checkout/dockerfile.js'
import { trimEndChar } from '../shared/linear-text.js'

export interface KojiFacts {
  /** The Koji build's id (the Build's `koji-build-id` label). */
  buildId?: string
  /** `<component>-<version>-<release>`: the NVR koji_promote imports the build as, from the built Dockerfile's labels. */
  nvr?: string
  /** `<koji-web-url>/buildinfo?buildID=<id>`. */
  buildUrl?: string
  /**
   * Lines of the `rpm-packages` annotation (one per RPM, as `rpm -qa` printed them); when it lists none, the RPMs
   * the Koji hub holds for the Koji build's images (flow/koji-rpms.ts).
   */
  rpmCount?: number
}

/** koji_promote's NVR: com.redhat.component (or BZComponent), version (or Version), release (or Release). */
export function nvrOfDockerfile(dockerfile: string | undefined): string | undefined {
  if (!dockerfile) return undefined
  const labels = analyzeDockerfile(dockerfile, 'Dockerfile').info?.labels
  if (!labels) return undefined
  const parts = [
    ['com.redhat.component', 'BZComponent'],
    ['version', 'Version'],
    ['release', 'Release']
  ].map((names) => pick(labels, names)?.label.value.trim())
  return parts.every((part) => part) ? parts.join('-') : undefined
}

export function kojiFacts(labels: Record<string, string>, annotations: Record<string, string>, kojiWebUrl?: string): KojiFacts {
  const buildId = /^[0-9]+$/.test(labels['koji-build-id'] ?? '') ? labels['koji-build-id'] : undefined
  const nvr = nvrOfDockerfile(annotations['dockerfile'])
  const rpms = typeof annotations['rpm-packages'] === 'string' ? annotations['rpm-packages'].split('\n').filter((line) => line.trim() !== '') : []
  return {
    ...(buildId ? { buildId } : {}),
    ...(nvr ? { nvr } : {}),
    ...(buildId && kojiWebUrl ? { buildUrl: `${trimEndChar(kojiWebUrl, '/')}/buildinfo?buildID=${buildId}` } : {}),
    ...(rpms.length ? { rpmCount: rpms.length } : {})
  }
}
