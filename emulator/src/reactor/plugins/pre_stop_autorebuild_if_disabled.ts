/** stop_autorebuild_if_disabled (prebuild): an autorebuild stops itself when the repository's config disables it. */
import { readFile } from 'node:fs/promises'
import { resolve, sep } from 'node:path'
import { definePlugin } from '../plugin.js'
import { readAutorebuild } from '../util/repoconfig.js'
import { AutoRebuildCanceledException } from '../workflow.js'

export default definePlugin({
  key: 'stop_autorebuild_if_disabled',
  defaults: { config_file: '.osbs-repo-config' },
  async run(wf, args, log) {
    if (!wf.results.get('check_and_set_rebuild')) {
      log.info('this is not an autorebuild, stop_autorebuild_if_disabled is doing nothing')
      return null
    }
    log.info('this is an autorebuild, determining whether to skip it')
    const configFile = String(args.config_file)
    log.info(`reading autorebuild config from "${configFile}"`)
    const root = resolve(wf.sourceDir)
    const path = resolve(root, configFile)
    // atomic-reactor 1.6.26.3 starts from False: a missing file, section or key disables the autorebuild (the
    // action, whose rule is "missing means enabled", leaves this plugin out then; see src/render/plugins.ts)
    let enabled = false
    let text: string | undefined
    if (path === root || path.startsWith(root + sep)) text = await readFile(path, 'utf8').catch(() => undefined)
    if (text === undefined) {
      log.info(`no "${configFile}", assuming autorebuild is disabled`)
    } else {
      const setting = readAutorebuild(text)
      if (setting.kind === 'missing-key' || setting.kind === 'missing-file') {
        // configparser's NoSectionError / NoOptionError
        log.error(`can't parse "${configFile}", assuming autorebuild is disabled`)
      } else if (setting.kind === 'error') {
        if (setting.message.startsWith('Not a boolean')) {
          log.error(`can't parse [autorebuild].enabled as bool in "${configFile}", assumingautorebuild is disabled (error: "${setting.message}")`)
        } else log.error(`can't parse "${configFile}", assuming autorebuild is disabled`)
      } else {
        enabled = setting.enabled
        log.info(`autorebuild is ${enabled ? 'enabled' : 'disabled'} in ${configFile}`)
      }
    }
    if (enabled) {
      log.info('autorebuild is enabled, stop_autorebuild_if_disabled is doing nothing')
      return null
    }
    log.info('autorebuild is disabled, stop_autorebuild_if_disabled is interrupting the build')
    throw new AutoRebuildCanceledException('stop_autorebuild_if_disabled', 'autorebuild is disabled')
  }
})
