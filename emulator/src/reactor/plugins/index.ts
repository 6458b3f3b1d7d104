/**
 * The plugins of the imitation, by key: one file per plugin, named by the catalogue's `module` for its key (as
 * atomic_reactor/plugins/ has them), each exporting its `definePlugin({ key, defaults, run })` as default. The
 * runner knows every key of the catalogue (`../catalogue/`); a key without an implementation here fails when it
 * runs, saying the local OpenShift cannot show its effect.
 */
import { CATALOGUE } from '../catalogue/index.js'
import type { Plugin } from '../plugin.js'
import { PyException } from '../util/py.js'
import buildDockerApi from './build_docker_api.js'
import exitDeleteFromRegistry from './exit_delete_from_registry.js'
import exitKojiPromote from './exit_koji_promote.js'
import exitKojiTagBuild from './exit_koji_tag_build.js'
import exitRemoveBuiltImage from './exit_remove_built_image.js'
import exitSendmail from './exit_sendmail.js'
import exitStoreMetadataInOsv3 from './exit_store_metadata_in_osv3.js'
import postCompress from './post_compress.js'
import postImportImage from './post_import_image.js'
import postPulpPull from './post_pulp_pull.js'
import postPulpSync from './post_pulp_sync.js'
import postPushToPulp from './post_push_to_pulp.js'
import postRpmqa from './post_rpmqa.js'
import postTagAndPush from './post_tag_and_push.js'
import postTagByLabels from './post_tag_by_labels.js'
import postTagFromConfig from './post_tag_from_config.js'
import preAddDockerfile from './pre_add_dockerfile.js'
import preAddHelp from './pre_add_help.js'
import preAddLabelsInDf from './pre_add_labels_in_df.js'
import preAddYumRepoByUrl from './pre_add_yum_repo_by_url.js'
import preAssertLabels from './pre_assert_labels.js'
import preBumpRelease from './pre_bump_release.js'
import preChangeFromInDf from './pre_change_from_in_df.js'
import preCheckAndSetRebuild from './pre_check_and_set_rebuild.js'
import preDistributionScope from './pre_distribution_scope.js'
import preFetchMavenArtifacts from './pre_fetch_maven_artifacts.js'
import preInjectYumRepo from './pre_inject_yum_repo.js'
import preKoji from './pre_koji.js'
import preKojiParent from './pre_koji_parent.js'
import prePullBaseImage from './pre_pull_base_image.js'
import preStopAutorebuildIfDisabled from './pre_stop_autorebuild_if_disabled.js'
import prepubSquash from './prepub_squash.js'

export const IMPLEMENTATIONS: ReadonlyMap<string, Plugin> = new Map(
  [
    preCheckAndSetRebuild,
    preStopAutorebuildIfDisabled,
    prePullBaseImage,
    preBumpRelease,
    preAddLabelsInDf,
    preChangeFromInDf,
    preAddHelp,
    preAddDockerfile,
    preAddYumRepoByUrl,
    preInjectYumRepo,
    preDistributionScope,
    preAssertLabels,
    preKoji,
    preKojiParent,
    preFetchMavenArtifacts,
    buildDockerApi,
    prepubSquash,
    postRpmqa,
    postTagFromConfig,
    postTagByLabels,
    postTagAndPush,
    postPushToPulp,
    postPulpSync,
    postPulpPull,
    postCompress,
    postImportImage,
    exitKojiPromote,
    exitDeleteFromRegistry,
    exitStoreMetadataInOsv3,
    exitKojiTagBuild,
    exitRemoveBuiltImage,
    exitSendmail
  ].map((p) => {
    if (!CATALOGUE.has(p.key)) throw new Error(`plugin implementation ${p.key} is not in atomic-reactor 1.6.26.3's catalogue`)
    return [p.key, p]
  })
)

function notEmulated(key: string): Plugin {
  return {
    key,
    defaults: {},
    async run() {
      throw new PyException('RuntimeError', `plugin ${key} is not emulated by the local OpenShift`)
    }
  }
}

export function implementationOf(key: string): Plugin {
  return IMPLEMENTATIONS.get(key) ?? notEmulated(key)
}
