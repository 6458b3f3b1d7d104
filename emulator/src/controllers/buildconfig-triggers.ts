/**
 * The BuildConfig trigger controller's decision for one BuildConfig: an ImageChange trigger whose ImageStreamTag
 * points to an image it has not built from yet starts one build (all changed triggers in its `triggeredBy`), and a
 * ConfigChange trigger starts the first build of a BuildConfig that has none. Failures are warnings, as OpenShift
 * records them as events.
 */
import type { KubeObject } from '../api/object.js'
import { ApiError } from '../api/status.js'
import { instantiate } from '../registry/buildconfig/instantiate.js'
import { imageChangeTriggers, lastTriggered } from '../registry/buildconfig/triggers.js'
import type { Images } from '../registry/imagestream/images.js'
import type { Store } from '../storage/store.js'

export function checkTriggers(store: Store, images: Images, ns: string, bcName: string): void {
  const bc = store.get('buildconfigs', ns, bcName)
  if (!bc || bc.metadata.annotations?.['openshift.io/build-config.paused'] === 'true') return
  const changed: Array<{ name: string; namespace: string; image: string }> = []
  for (const t of imageChangeTriggers(bc)) {
    if (t.paused) continue
    const [isName, tag] = t.name.split(':') as [string, string]
    const latest = images.latest(t.namespace, isName, tag)
    if (!latest || lastTriggered(bc, t).includes(latest)) continue
    changed.push({ name: t.name, namespace: t.namespace, image: latest })
  }
  const group = { group: 'build.openshift.io' }
  if (changed.length) {
    const first = changed[0]!
    const from: any = { kind: 'ImageStreamTag', name: first.name }
    if (first.namespace !== ns) from.namespace = first.namespace
    try {
      instantiate(
        store,
        images,
        ns,
        {
          kind: 'BuildRequest',
          apiVersion: 'build.openshift.io/v1',
          metadata: { name: bcName, namespace: ns },
          triggeredByImage: { kind: 'DockerImage', name: first.image },
          from,
          triggeredBy: changed.map((c) => ({
            message: 'Image change',
            imageChangeBuild: { imageID: c.image, fromRef: { kind: 'ImageStreamTag', name: c.name, ...(c.namespace !== ns ? { namespace: c.namespace } : {}) } }
          }))
        },
        group
      )
    } catch (err) {
      // OpenShift records a BuildConfigTriggerFailed event; the emulator warns.
      if (!(err instanceof ApiError)) throw err
      process.emitWarning(`ImageChange trigger of ${ns}/${bcName}: ${err.message}`)
    }
    return
  }
  const hasConfigChange = (bc.spec?.triggers ?? []).some((t: any) => t?.type === 'ConfigChange')
  if (hasConfigChange && Number(bc.status?.lastVersion ?? 0) === 0) {
    try {
      instantiate(store, images, ns, { metadata: { name: bcName }, lastVersion: 0, triggeredBy: [{ message: 'Build configuration change' }] } as KubeObject, group)
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      process.emitWarning(`ConfigChange trigger of ${ns}/${bcName}: ${err.message}`)
    }
  }
}
