/**
 * inject_yum_repo (prebuild): the repo files of the workflow go beside the Dockerfile, which ADDs them after its
 * FROM (or MAINTAINER) and removes them at the end (add_yum_repos_to_dockerfile).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { definePlugin } from '../plugin.js'
import { RELATIVE_REPOS_PATH, YUM_REPOS_DIR } from '../util/constants.js'
import { dockerfileLines } from '../util/dockerfile-parse.js'
import { PyException } from '../util/py.js'
import type { Workflow } from '../workflow.js'

export default definePlugin({
  key: 'inject_yum_repo',
  defaults: { wrap_commands: false },
  async run(wf, args, log) {
    const repos = [...wf.files].filter(([k]) => k.startsWith(YUM_REPOS_DIR))
    if (args.wrap_commands) throw new PyException('RuntimeError', 'inject_yum_repo: wrap_commands is not emulated by the local OpenShift')
    if (!repos.length) return null
    const hostReposPath = join(dirname(wf.dockerfilePath), RELATIVE_REPOS_PATH)
    log.info(`creating directory for yum repos: ${hostReposPath}`)
    await mkdir(hostReposPath)
    for (const [repo, content] of repos) {
      const hostPath = join(hostReposPath, basename(repo))
      log.info(`writing repo to '${hostPath}'`)
      await writeFile(hostPath, content)
      log.debug(`${repo}\n${content.trim()}`)
    }
    await wf.setDockerfile(
      withRepos(
        wf,
        repos.map(([r]) => r)
      )
    )
    return null
  }
})

/** add_yum_repos_to_dockerfile: ADD after the FROM (or MAINTAINER), `rm -f` of the repos at the end (as root). */
function withRepos(wf: Workflow, repos: string[]): string {
  const l = dockerfileLines(wf.dockerfile)
  const df = wf.parsedDockerfile
  // structure's endline is 0-based: the line after it is index endLine (1-based) in `lines`
  let preinsert: number | undefined
  for (const ins of df.instructions) {
    if (ins.keyword === 'MAINTAINER') {
      preinsert = ins.endLine
      break
    }
    if (ins.keyword === 'FROM') preinsert = ins.endLine
  }
  if (preinsert === undefined) throw new PyException('RuntimeError', 'No FROM line in Dockerfile')
  const out = [...l.slice(0, preinsert), `ADD ${RELATIVE_REPOS_PATH}* '${YUM_REPOS_DIR}'\n`, ...l.slice(preinsert)]
  if (!out[out.length - 1]!.endsWith('\n')) out[out.length - 1] += '\n'
  const inherited = wf.baseImageUser
  let finalUser: string | undefined = inherited ? `USER ${inherited}\n` : undefined
  for (const i of df.instructions) if (i.keyword === 'USER') finalUser = `USER ${i.args}\n`
  if (finalUser !== undefined) out.push('USER root\n')
  out.push('RUN rm -f ' + repos.map((r) => `'${r}'`).join(' ') + '\n')
  if (finalUser !== undefined) out.push(finalUser.endsWith('\n') ? finalUser : finalUser + '\n')
  return out.join('')
}
