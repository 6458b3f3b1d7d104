/** A BuildConfig's ImageChange triggers: the image stream tags they watch and the images they last fired for. */
import type { KubeObject } from '../../api/object.js'
import { strategyOf } from '../common-spec.js'

export interface ImageChangeTrigger {
  /** index in spec.triggers */
  index: number
  /** `<imagestream>:<tag>` */
  name: string
  namespace: string
  paused: boolean
}

/** The ImageChange triggers of a BuildConfig with their `from` resolved (namespace defaulted). */
export function imageChangeTriggers(bc: KubeObject): ImageChangeTrigger[] {
  const out: ImageChangeTrigger[] = []
  ;(bc.spec?.triggers ?? []).forEach((t: any, index: number) => {
    if (t?.type !== 'ImageChange' || !t.imageChange) return
    const from = t.imageChange.from ?? strategyOf(bc.spec)?.from
    if (!from || (from.kind ?? 'ImageStreamTag') !== 'ImageStreamTag' || !from.name) return
    out.push({ index, name: from.name, namespace: from.namespace || bc.metadata.namespace!, paused: !!t.imageChange.paused })
  })
  return out
}

/** The image a trigger last fired for (4.8+ status, or the legacy spec field). */
export function lastTriggered(bc: KubeObject, trig: { index: number; name: string; namespace: string }): string[] {
  const ids: string[] = []
  const legacy = bc.spec?.triggers?.[trig.index]?.imageChange?.lastTriggeredImageID
  if (legacy) ids.push(legacy)
  for (const s of bc.status?.imageChangeTriggers ?? []) {
    if (s?.from?.name === trig.name && (s.from.namespace || bc.metadata.namespace) === trig.namespace && s.lastTriggeredImageID) ids.push(s.lastTriggeredImageID)
  }
  return ids
}
