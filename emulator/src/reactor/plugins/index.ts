/**
 * What each plugin of the catalogue does when it runs, by key. The runner knows every key of the catalogue
 * (`../catalogue/`); a key without an implementation here fails when it runs, saying the local OpenShift cannot
 * show its effect.
 */
import { CATALOGUE } from '../catalogue/index.js'
import { PyException } from '../util/py.js'
import type { Plugin } from '../workflow.js'
import { dockerApi } from './build.js'
import { addDockerfile, addHelp, addYumRepoByUrl, changeFromInDockerfile, distributionScope, injectYumRepo } from './dockerfile-edits.js'
import { allRpmPackages, squash, tagFromConfig } from './image.js'
import { compress, deleteFromRegistry, importImage, removeBuiltImage, storeMetadataInOsv3 } from './finish.js'
import { addLabelsInDockerfile, bumpRelease, pullBaseImage } from './prebuild.js'
import { pulpPush, pulpSync, tagAndPush, tagByLabels } from './push.js'
import { checkAndSetRebuild, stopAutorebuildIfDisabled } from './rebuild.js'
import { assertLabels, fetchMavenArtifacts, koji } from './services.js'

export const IMPLEMENTATIONS: ReadonlyMap<string, Plugin> = new Map(
  [
    checkAndSetRebuild,
    stopAutorebuildIfDisabled,
    pullBaseImage,
    bumpRelease,
    addLabelsInDockerfile,
    changeFromInDockerfile,
    addHelp,
    addDockerfile,
    addYumRepoByUrl,
    injectYumRepo,
    distributionScope,
    assertLabels,
    koji,
    fetchMavenArtifacts,
    dockerApi,
    squash,
    allRpmPackages,
    tagFromConfig,
    tagByLabels,
    tagAndPush,
    pulpPush,
    pulpSync,
    compress,
    importImage,
    deleteFromRegistry,
    storeMetadataInOsv3,
    removeBuiltImage
  ].map((p) => {
    if (!CATALOGUE.has(p.key)) throw new Error(`plugin implementation ${p.key} is not in atomic-reactor 1.6.26.3's catalogue`)
    return [p.key, p]
  })
)

function notEmulated(key: string): Plugin {
  return {
    key,
    async run() {
      throw new PyException('RuntimeError', `plugin ${key} is not emulated by the local OpenShift`)
    }
  }
}

export function implementationOf(key: string): Plugin {
  return IMPLEMENTATIONS.get(key) ?? notEmulated(key)
}
