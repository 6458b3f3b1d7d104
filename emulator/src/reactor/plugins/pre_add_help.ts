/**
 * add_help (prebuild): the help file beside the Dockerfile (`help.md`) becomes a man page, `help.1`, with
 * go-md2man (Debian's `go-md2man`), and the Dockerfile ADDs it as `/help.1` before its last instruction. Returns
 * `{help_file, status}` (1: no help file, 2: generated), which store_metadata_in_osv3 writes as `help_file`.
 */
import { execFile } from 'node:child_process'
import { access } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { definePlugin } from '../plugin.js'
import { dockerfileLines } from '../util/dockerfile-parse.js'
import { PyException } from '../util/py.js'

export const NO_HELP_FILE_FOUND = 1
export const HELP_GENERATED = 2
const MAN_FILENAME = 'help.1'

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false
  )

export default definePlugin({
  key: 'add_help',
  // DEFAULT_HELP_FILENAME
  defaults: { help_file: 'help.md' },
  async run(wf, args, log) {
    const helpFile = String(args.help_file)
    const dfDir = dirname(wf.dockerfilePath)
    const helpPath = join(dfDir, helpFile)
    const result = { help_file: helpFile, status: null as number | null }
    if (!(await exists(helpPath))) {
      log.info(`File ${helpPath} not found`)
      result.status = NO_HELP_FILE_FOUND
      return result
    }
    const manPath = join(dfDir, MAN_FILENAME)
    const cmd = ['go-md2man', `-in=${helpPath}`, `-out=${manPath}`]
    await new Promise<void>((resolve, reject) => {
      execFile(cmd[0]!, cmd.slice(1), { signal: wf.host.signal, timeout: 60_000, env: process.env }, (error, stdout, stderr) => {
        if (!error) return resolve()
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new PyException('RuntimeError', 'Help file is available, but go-md2man is not present in a buildroot'))
        }
        const code = typeof error.code === 'number' ? error.code : 1
        const cmdRepr = `[${cmd.map((c) => `'${c}'`).join(', ')}]`
        const output = `${stdout}${stderr}`
        reject(new PyException('RuntimeError', `Error running ${cmdRepr}: CalledProcessError(${code}, ${cmdRepr}), exit code: ${code}, output: '${output}'`))
      })
    })
    if (!(await exists(manPath))) throw new PyException('RuntimeError', 'go-md2man run complete, but man file is not found')
    // put it before the last instruction
    const lines = dockerfileLines(wf.dockerfile)
    lines.splice(Math.max(0, lines.length - 1), 0, `ADD ${MAN_FILENAME} /${MAN_FILENAME}\n`)
    await wf.setDockerfile(lines.join(''))
    log.info(`added ${manPath}`)
    result.status = HELP_GENERATED
    return result
  }
})
