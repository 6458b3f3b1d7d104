/** pull_base_image, bump_release, add_labels_in_dockerfile (prebuild). */
import { hostname } from 'node:os'
import { registryHost, type ResolvedImage } from '../../registry.js'
import { shellQuote } from '../util/dockerfile.js'
import { type ImageName } from '../util/imagename.js'
import { kojiCall } from '../util/koji.js'
import { PyException, pyRepr, pyUtcIso } from '../util/py.js'
import { dockerfileParse } from '../util/dockerfile-parse.js'
import type { Plugin, Workflow } from '../workflow.js'

/** Resolve the base image the way docker pull would (hosted registries first, else the external image). */
export function resolveBase(wf: Workflow, name: ImageName): ResolvedImage {
  return wf.host.registries.resolveImage(name.toString())
}

export const pullBaseImage: Plugin = {
  key: 'pull_base_image',
  async run(wf, args, log) {
    const core = wf.log.logger('atomic_reactor.core')
    const base = wf.baseImage
    if (!base || base.toString() === 'scratch:latest') {
      log.info('base image is scratch, nothing to pull')
      return null
    }
    let name = base
    const parent = args.parent_registry ? registryHost(String(args.parent_registry)) : undefined
    if (parent) {
      if (base.registry && base.registry !== parent) {
        throw new PyException('RuntimeError', `Registry specified in dockerfile doesn't match provided one. Dockerfile: '${base.registry}', Provided: '${parent}'`)
      }
      name = base.copy({ registry: parent })
    }
    core.info(`pulling image '${name.toString()}' from registry`)
    let found = wf.host.registries.lookup(name.toString())
    if (!found && parent && name.namespace !== 'library') {
      log.info(`'${name.toString()}' not found`)
      const library = name.copy({ namespace: 'library' })
      log.info(`trying '${library.toString()}'`)
      core.info(`pulling image '${library.toString()}' from registry`)
      found = wf.host.registries.lookup(library.toString())
      if (found) name = library
    }
    let pulled
    try {
      pulled = await wf.host.backend.pullBase(name.toString(), { dockerfile: base.toString(), build: wf.buildName }, wf.stepOptions(core))
    } catch (err) {
      throw new PyException('RuntimeError', `Failed to pull image '${name.toString()}': ${(err as Error).message}`)
    }
    core.debug(`image '${name.toString()}' pulled: ${pulled.image.imageId}`)
    core.info(`tagging image '${name.toString()}' as '${pulled.localName}'`)
    wf.baseImageId = pulled.image.imageId
    wf.baseImageLabels = { ...pulled.image.labels }
    wf.baseImageLayers = pulled.image.layers ?? []
    wf.toRemove.push(name.toString(), wf.buildName)
    // the builder's base image is now the build's own name (set_base_image of the unique id)
    wf.baseImageName = wf.buildName
    return null
  }
}

/** get_patched_release: split on the first two dots, increment the first part, drop a numeric second part. */
export function patchedRelease(original: string, increment = false): string {
  const parts = original.split('.')
  let release: string | undefined = parts[0]
  let suffix: string | undefined = parts[1]
  const rest: string | undefined = parts.length > 2 ? parts.slice(2).join('.') : undefined
  if (increment) {
    const n = Number.parseInt(release ?? '', 10)
    if (!/^\s*[-+]?\d+\s*$/.test(release ?? '')) throw new PyException('ValueError', `invalid literal for int() with base 10: '${release}'`)
    release = String(n + 1)
  }
  if (suffix !== undefined && /^\d+$/.test(suffix)) suffix = undefined
  return [release, suffix, rest].filter((p) => p !== undefined).join('.')
}

/** bump_release: no release label → ask the Koji hub (`getNextRelease`, then `getBuild` until unused) and set it. */
export const bumpRelease: Plugin = {
  key: 'bump_release',
  async run(wf, args, log) {
    const labels = dockerfileParse(wf.dockerfile).labels
    if ('release' in labels || 'Release' in labels) {
      log.debug('release set explicitly so not incrementing')
      return null
    }
    const componentKey = 'com.redhat.component' in labels ? 'com.redhat.component' : 'BZComponent' in labels ? 'BZComponent' : 'com.redhat.component'
    const component = labels[componentKey]
    if (component === undefined) throw new PyException('RuntimeError', `missing label: ${componentKey}`)
    const versionKey = 'version' in labels ? 'version' : 'Version' in labels ? 'Version' : 'version'
    const version = labels[versionKey]
    if (version === undefined) throw new PyException('RuntimeError', `missing label: ${versionKey}`)
    const hub = String(args.hub)
    log.debug(`getting next release from build info: ${pyRepr({ name: component, version })}`)
    let next = patchedRelease(String(await kojiCall(hub, 'getNextRelease', [{ name: component, version }], wf.host.signal)))
    for (;;) {
      const info = { name: component, version, release: next }
      log.debug(`checking that the build does not exist: ${pyRepr(info)}`)
      if (!(await kojiCall(hub, 'getBuild', [info], wf.host.signal))) break
      next = patchedRelease(next, true)
    }
    const preferred = 'release' in labels ? 'release' : 'Release' in labels ? 'Release' : 'release'
    const toSet = 'BZComponent' in labels ? ['release', 'Release'] : [preferred]
    for (const key of toSet) {
      log.info(`setting ${key}=${next}`)
      await wf.appendToDockerfile(`LABEL ${key}=${shellQuote(next)}`)
    }
    wf.kojiBuild = { hub, name: component, version, release: next }
    return null
  }
}

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

export const addLabelsInDockerfile: Plugin = {
  key: 'add_labels_in_dockerfile',
  async run(wf, args, log) {
    let given = args.labels ?? {}
    if (typeof given === 'string') {
      try {
        given = JSON.parse(given)
      } catch (e) {
        throw new PyException('ValueError', `No JSON object could be decoded`)
      }
    }
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      throw new PyException('RuntimeError', `labels have to be dict`)
    }
    const labelsArg = Object.fromEntries(Object.entries(given as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
    const autoLabels = (args.auto_labels as string[] | undefined) ?? ['build-date', 'architecture', 'vcs-type', 'vcs-ref', 'com.redhat.build-host']
    const aliases = (args.aliases as Record<string, string> | undefined) ?? ALIASES
    const dontOverwrite = (args.dont_overwrite as string[] | undefined) ?? []
    const dontOverwriteIfInDockerfile = (args.dont_overwrite_if_in_dockerfile as string[] | undefined) ?? ['distribution-scope']

    if (wf.baseImage && !wf.baseImageId && wf.baseImage.toString() !== 'scratch:latest') {
      const resolved = resolveBase(wf, wf.baseImage)
      wf.baseImageId = resolved.image.imageId
      wf.baseImageLabels = { ...resolved.image.labels }
      wf.baseImageLayers = resolved.image.layers ?? []
    }
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
}
