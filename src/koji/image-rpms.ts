/**
 * The RPMs a Koji build's images hold, as the hub recorded them when koji_promote imported the build: its image
 * archives (`listArchives(buildID=<id>, type='image')`, what `koji buildinfo` lists as "Image archives") and each
 * one's RPM components (`listRPMs(imageID=<archive id>)`, what Koji's web UI lists as an archive's "RPM
 * components"). CGImport keeps the components of the image output that match RPMs the hub knows.
 */
import { kojiCall, type KojiCallOptions } from './hub.js'
import type { XmlRpcValue } from './xmlrpc.js'

export interface ImageRpms {
  /** The ids of the build's image archives (one per architecture). */
  archives: number[]
  /** The RPMs in any of them, each once (a noarch RPM in two architectures' images counts once). */
  rpms: number
}

/** Structs with a numeric `id` from a list answer; anything else is not Koji's answer. */
function ids(method: string, answer: XmlRpcValue): number[] {
  if (!Array.isArray(answer)) throw new Error(`${method}: the hub answered ${answer === null ? 'None' : typeof answer}, not a list`)
  return answer.map((item) => {
    const id = item && typeof item === 'object' && !Array.isArray(item) ? item.id : undefined
    if (typeof id !== 'number') throw new Error(`${method}: an entry of the hub's answer has no id`)
    return id
  })
}

export async function imageRpms(hub: string, buildId: number, options: KojiCallOptions = {}): Promise<ImageRpms> {
  const archives = ids('listArchives', await kojiCall(hub, 'listArchives', [], { buildID: buildId, type: 'image' }, options))
  const rpms = new Set<number>()
  for (const archive of archives) for (const id of ids('listRPMs', await kojiCall(hub, 'listRPMs', [], { imageID: archive }, options))) rpms.add(id)
  return { archives, rpms: rpms.size }
}
