/** check_and_set_rebuild (prebuild): is this build an autorebuild? A user build marks its BuildConfig's later builds as such. */
import { definePlugin } from '../plugin.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'check_and_set_rebuild',
  // label_key, label_value and url are required by the signature; the imitation does not use url
  defaults: { label_key: 'is_autorebuild', label_value: 'true', verify_ssl: true, use_auth: true },
  async run(wf, args, log) {
    const labelKey = String(args.label_key)
    const labelValue = String(args.label_value)
    const labels = wf.build.metadata.labels ?? {}
    const buildConfig = labels['buildconfig'] ?? labels['openshift.io/build-config.name']
    if (buildConfig === undefined) throw new PyException('KeyError', 'buildconfig')
    const isRebuild = labels[labelKey] === labelValue
    log.info(`This is a rebuild? ${isRebuild ? 'True' : 'False'}`)
    if (!isRebuild) {
      // the BuildConfig's later (triggered) builds count as autorebuilds; its other labels are kept
      wf.host.mergeBuildConfigLabels({ [labelKey]: labelValue })
    }
    wf.isRebuild = isRebuild
    return isRebuild
  }
})
