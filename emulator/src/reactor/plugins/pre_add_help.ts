/** add_help (prebuild): a help file beside the Dockerfile needs go-md2man, which this build pod does not have. */
import { access } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { definePlugin } from '../plugin.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'add_help',
  // DEFAULT_HELP_FILENAME
  defaults: { help_file: 'help.md' },
  async run(wf, args, log) {
    const helpFile = String(args.help_file)
    const helpPath = join(dirname(wf.dockerfilePath), helpFile)
    const result = { help_file: helpFile, status: null as number | null }
    if (
      !(await access(helpPath).then(
        () => true,
        () => false
      ))
    ) {
      log.info(`File ${helpPath} not found`)
      result.status = 1
      return result
    }
    // go-md2man is not in this build pod
    throw new PyException('RuntimeError', 'Help file is available, but go-md2man is not present in a buildroot')
  }
})
