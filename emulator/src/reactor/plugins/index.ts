/** Every plugin the emulated atomic-reactor knows, by key. */
import type { Plugin } from '../workflow.js'
import { dockerApi } from './build.js'
import { compress, deleteFromRegistry, importImage, removeBuiltImage, storeMetadataInOsv3 } from './finish.js'
import { addLabelsInDockerfile, bumpRelease, pullBaseImage } from './prebuild.js'
import { pulpPush, pulpSync, tagAndPush, tagByLabels } from './push.js'
import { checkAndSetRebuild, stopAutorebuildIfDisabled } from './rebuild.js'

export const PLUGINS: ReadonlyMap<string, Plugin> = new Map(
  [
    checkAndSetRebuild,
    stopAutorebuildIfDisabled,
    pullBaseImage,
    bumpRelease,
    addLabelsInDockerfile,
    dockerApi,
    tagByLabels,
    tagAndPush,
    pulpPush,
    pulpSync,
    compress,
    importImage,
    deleteFromRegistry,
    storeMetadataInOsv3,
    removeBuiltImage
  ].map((p) => [p.key, p])
)
