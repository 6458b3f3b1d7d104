/** add_labels_in_dockerfile (prebuild): appends `LABEL "k"="v" …` with the given labels, the auto labels and the aliases. */
import { hostname } from 'node:os'
import { definePlugin } from '../plugin.js'
import { dockerfileParse } from '../util/dockerfile-parse.js'
import { PyException, pyUtcIso } from '../util/py.js'

/** Labels.get_new_names_by_old(): old label name → new one. */
const ALIASES: Record<string, string> = {
  Name: 'name',
  Version: 'version',
  Release: 'release',
  Architecture: 'architecture',
  Vendor: 'vendor',
  Authoritative_Registry: 'authoritative-source-url',
  BZComponent: 'com.redhat.component',
  Build_Host: 'com.redhat.build-host',
  RUN: 'run',
  INSTALL: 'install',
  UNINSTALL: 'uninstall'
}

export default definePlugin({
  key: 'add_labels_in_dockerfile',
  // labels is required; dont_overwrite and aliases are None in the signature and `or`-ed in __init__ to these
  defaults: {
    labels: {},
    dont_overwrite: [],
    auto_labels: ['build-date', 'architecture', 'vcs-type', 'vcs-ref', 'com.redhat.build-host'],
    aliases: ALIASES,
    dont_overwrite_if_in_dockerfile: ['distribution-scope'],
    info_url_format: null,
    equal_labels: null
  },
  async run(wf, args, log) {
    const labelsArg = givenLabels(args.labels)
    const autoLabels = args.auto_labels as string[]
    const aliases = args.aliases as Record<string, string>
    const dontOverwrite = args.dont_overwrite as string[]
    const dontOverwriteIfInDockerfile = args.dont_overwrite_if_in_dockerfile as string[]

    wf.inspectBase()
    const baseLabels = wf.baseImageLabels
    const dfLabels = dockerfileParse(wf.dockerfile).labels
    const generated: Record<string, string> = {
      'build-date': pyUtcIso(wf.startedAt),
      architecture: 'x86_64',
      'vcs-type': 'git',
      'vcs-ref': wf.commitId,
      'vcs-url': String(wf.build.spec?.source?.git?.uri ?? ''),
      // docker info's Name: the host of the docker daemon the pod was given (the node's), this machine here
      'com.redhat.build-host': hostname()
    }
    const wanted: Record<string, string> = { ...labelsArg }
    for (const key of autoLabels) if (!(key in labelsArg) && generated[key] !== undefined) wanted[key] = generated[key]!
    for (const [oldName, newName] of Object.entries(aliases)) {
      if (oldName in dfLabels && !(newName in dfLabels) && !(newName in wanted)) wanted[newName] = dfLabels[oldName]!
    }
    const emit: [string, string][] = []
    for (const [key, value] of Object.entries(wanted)) {
      if (dfLabels[key] === value) continue
      if (dontOverwriteIfInDockerfile.includes(key) && key in dfLabels) continue
      if (dontOverwrite.includes(key) && key in baseLabels && !(key in dfLabels)) continue
      emit.push([key, value])
    }
    if (!emit.length) {
      log.info('nothing to add')
      return ''
    }
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
    const line = 'LABEL ' + emit.map(([k, v]) => `"${esc(k)}"="${esc(v)}"`).join(' ')
    log.info(`setting labels: ${emit.map(([k, v]) => `${k}=${v}`).join(', ')}`)
    // lines.append('\n' + content + '\n'): a blank line before it when the Dockerfile ends with a newline
    await wf.setDockerfile(wf.dockerfile + '\n' + line + '\n')
    return line
  }
})

/** The `labels` argument: a dict, or its JSON text; every value as str(). */
function givenLabels(given: unknown): Record<string, string> {
  if (typeof given === 'string') {
    try {
      given = JSON.parse(given)
    } catch {
      throw new PyException('ValueError', `No JSON object could be decoded`)
    }
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new PyException('RuntimeError', `labels have to be dict`)
  }
  return Object.fromEntries(Object.entries(given as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
}
