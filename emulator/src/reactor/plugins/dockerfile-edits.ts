/**
 * Pre-build plugins of osbs-client's prod list that edit the Dockerfile or check it: change_from_in_dockerfile,
 * add_help, add_dockerfile, add_yum_repo_by_url, inject_yum_repo, distribution_scope (atomic-reactor 1.6.26.3's
 * behaviour and messages, read from its source).
 */
import { access, copyFile, mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { labelOf } from '../util/dockerfile.js'
import { PyException } from '../util/py.js'
import { dockerfileParse } from '../util/dockerfile-parse.js'
import type { Plugin, Workflow } from '../workflow.js'
import { resolveBase } from './prebuild.js'

const YUM_REPOS_DIR = '/etc/yum.repos.d/'
const RELATIVE_REPOS_PATH = 'atomic-reactor-repos/'

/** The Dockerfile's lines with their newlines (dockerfile-parse's `lines`). */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

/** `lines.insert(-1, line)`: before the last line. */
async function insertBeforeLast(wf: Workflow, line: string): Promise<void> {
  const l = lines(wf.dockerfile)
  l.splice(Math.max(0, l.length - 1), 0, line + '\n')
  await wf.setDockerfile(l.join(''))
}

/** The base image's inspect data, as docker gives it after pull_base_image (or by inspecting it). */
function ensureBaseInspected(wf: Workflow): void {
  if (wf.baseImageId || !wf.baseImage || wf.baseImage.toString() === 'scratch:latest') return
  const resolved = resolveBase(wf, wf.baseImage)
  wf.baseImageId = resolved.image.imageId
  wf.baseImageLabels = { ...resolved.image.labels }
  wf.baseImageLayers = resolved.image.layers ?? []
}

export const changeFromInDockerfile: Plugin = {
  key: 'change_from_in_dockerfile',
  async run(wf, args, log) {
    const base = args.base_image ? String(args.base_image) : (wf.baseImage?.toString() ?? '')
    ensureBaseInspected(wf)
    if (!wf.baseImageId) {
      log.error(`Id is missing in inspection: '{}'`)
      throw new PyException('KeyError', 'Id')
    }
    log.debug(`using base image '${base}', id '${wf.baseImageId}'`)
    const out: string[] = []
    for (const line of lines(wf.dockerfile)) {
      const m = /^FROM .+$/.exec(line.replace(/\n$/, ''))
      if (m) {
        const replaced = `FROM ${wf.baseImageId}`
        out.push(replaced + '\n')
        log.info(`changed FROM: '${m[0]}' -> '${replaced}'`)
      } else out.push(line)
    }
    await wf.setDockerfile(out.join(''))
    return null
  }
}

export const addHelp: Plugin = {
  key: 'add_help',
  async run(wf, args, log) {
    const helpFile = String(args.help_file ?? 'help.md')
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
}

export const addDockerfile: Plugin = {
  key: 'add_dockerfile',
  async run(wf, args, log) {
    let nvr = args.nvr as string | undefined
    if (nvr === undefined || nvr === null) {
      const labels = dockerfileParse(wf.dockerfile).labels
      const name = labelOf(labels, 'name', 'Name')
      const version = labelOf(labels, 'version', 'Version')
      const release = labelOf(labels, 'release', 'Release')
      if (name === undefined || version === undefined || release === undefined) {
        throw new PyException('ValueError', 'You have to specify either nvr arg or name/version/release labels.')
      }
      nvr = `${name}-${version}-${release}`.replace(/\//g, '-')
    }
    const dfName = `Dockerfile-${nvr}`
    const destdir = String(args.destdir ?? '/root/buildinfo/')
    const dfPath = join(destdir, dfName)
    if (!args.use_final_dockerfile) await copyFile(wf.dockerfilePath, join(dirname(wf.dockerfilePath), dfName))
    const content = args.use_final_dockerfile ? `ADD Dockerfile ${dfPath}` : `ADD ${dfName} ${dfPath}`
    await insertBeforeLast(wf, content)
    log.info(`added ${dfPath}`)
    return content
  }
}

export const addYumRepoByUrl: Plugin = {
  key: 'add_yum_repo_by_url',
  async run(wf, args, log) {
    for (const repourl of (args.repourls as string[] | null) ?? []) {
      let content: string
      try {
        const res = await fetch(repourl, { signal: wf.host.signal })
        if (!res.ok) throw new PyException('HTTPError', `${res.status} Client Error: ${res.statusText} for url: ${repourl}`)
        content = await res.text()
      } catch (e) {
        if (e instanceof PyException || wf.host.signal.aborted) throw e
        throw new PyException('ConnectionError', `${repourl}: ${(e as Error).message}`)
      }
      log.info(`fetched repo from '${repourl}'`)
      if (args.inject_proxy) {
        content = content.replace(/^(\[[^\]]+\]\s*\n)/gm, `$1proxy = ${String(args.inject_proxy)}\n`)
      }
      const dst = join(YUM_REPOS_DIR, basename(decodeURIComponent(new URL(repourl).pathname)))
      wf.files.set(dst, content)
      log.debug(`saving repo '${dst}', length ${Buffer.byteLength(content)}`)
    }
    return null
  }
}

export const injectYumRepo: Plugin = {
  key: 'inject_yum_repo',
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
    // add_yum_repos_to_dockerfile: ADD after the FROM (or MAINTAINER), remove the repos at the end
    const l = lines(wf.dockerfile)
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
    out.push('RUN rm -f ' + repos.map(([r]) => `'${r}'`).join(' ') + '\n')
    if (finalUser !== undefined) out.push(finalUser.endsWith('\n') ? finalUser : finalUser + '\n')
    await wf.setDockerfile(out.join(''))
    return null
  }
}

const SCOPES = ['private', 'authoritative-source-only', 'restricted', 'public']

export const distributionScope: Plugin = {
  key: 'distribution_scope',
  async run(wf, _args, log) {
    const scopeOf = (which: string, labels: Record<string, string>): number | undefined => {
      const choice = labels['distribution-scope']
      if (choice === undefined) {
        log.debug(`no distribution scope set for ${which} image`)
        return undefined
      }
      const scope = SCOPES.indexOf(choice)
      if (scope < 0) {
        log.warning(`invalid label distribution-scope=${choice} for ${which} image`)
        return undefined
      }
      return scope
    }
    const scope = scopeOf('current', dockerfileParse(wf.dockerfile).labels)
    ensureBaseInspected(wf)
    const parent = scope === undefined ? undefined : scopeOf('parent', wf.baseImageLabels)
    if (scope === undefined || parent === undefined) {
      log.debug('no checks performed')
      return null
    }
    if (scope > parent) {
      const error = `distribution-scope=${SCOPES[scope]} but parent has distribution-scope=${SCOPES[parent]}`
      log.error(error)
      throw new PyException('DisallowedDistributionScope', error)
    }
    log.info('distribution scope checked')
    return null
  }
}
