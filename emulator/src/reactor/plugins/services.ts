/**
 * Pre-build plugins that check the Dockerfile or ask a service: assert_labels, koji (the Koji hub's build target)
 * and fetch_maven_artifacts (Koji and URLs named by files of the repository), with atomic-reactor 1.6.26.3's
 * behaviour: a hub that cannot be reached, or a target it does not have, fails the plugin with its message.
 */
import { access } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { dockerfileParse } from '../util/dockerfile-parse.js'
import { kojiCall } from '../util/koji.js'
import { PyException, pyListRepr, pyRepr } from '../util/py.js'
import type { Plugin } from '../workflow.js'

export const assertLabels: Plugin = {
  key: 'assert_labels',
  async run(wf, args) {
    const given = (args.required_labels as string[] | null | undefined)?.length ? (args.required_labels as string[]) : undefined
    const required = given ?? ['name', 'version', 'release']
    const labels = dockerfileParse(wf.dockerfile).labels
    const missing = required.filter((l) => !labels[l])
    // the list's repr: unicode strings when they came from the JSON arguments, byte strings for the default
    if (missing.length) throw new PyException('RuntimeError', `Dockerfile is missing required labels: ${given ? pyRepr(missing) : pyListRepr(missing)}`)
    return null
  }
}

/** koji: a yum repo for the build target's build tag, from the hub (getBuildTarget, getTag, getRepo). */
export const koji: Plugin = {
  key: 'koji',
  async run(wf, args, log) {
    const target = String(args.target)
    const hub = String(args.hub)
    const targetInfo = (await kojiCall(hub, 'getBuildTarget', [target], wf.host.signal)) as Record<string, any> | null
    if (targetInfo === null) {
      log.error(`provided target '${target}' doesn't exist`)
      throw new PyException('RuntimeError', `Provided target '${target}' doesn't exist!`)
    }
    const tagInfo = (await kojiCall(hub, 'getTag', [targetInfo.build_tag_name], wf.host.signal)) as Record<string, any> | null
    if (!tagInfo || !('name' in tagInfo)) {
      log.warning('No tag info was retrieved')
      return null
    }
    const repoInfo = (await kojiCall(hub, 'getRepo', [tagInfo.id], wf.host.signal)) as Record<string, any> | null
    if (!repoInfo || !('id' in repoInfo)) {
      log.warning('No repo info was retrieved')
      return null
    }
    const baseurl = `${String(args.root).replace(/\/+$/, '')}/repos/${tagInfo.name}/${repoInfo.id}/$basearch`
    log.info(`baseurl = '${baseurl}'`)
    const path = `/etc/yum.repos.d/${target}.repo`
    log.info(`yum repo of koji target: '${path}'`)
    wf.files.set(path, `[atomic-reactor-koji-plugin-${target}]\nname=atomic-reactor-koji-plugin-${target}\nbaseurl=${baseurl}\nenabled=1\ngpgcheck=0\n`)
    return null
  }
}

/** fetch_maven_artifacts: nothing to fetch without fetch-artifacts-koji.yaml / fetch-artifacts-url.yaml. */
export const fetchMavenArtifacts: Plugin = {
  key: 'fetch_maven_artifacts',
  async run(wf, _args, log) {
    const dir = dirname(wf.dockerfilePath)
    const present: string[] = []
    for (const file of ['fetch-artifacts-koji.yaml', 'fetch-artifacts-url.yaml']) {
      if (
        await access(join(dir, file)).then(
          () => true,
          () => false
        )
      )
        present.push(file)
      else log.debug(`${file} not found`)
    }
    if (present.length) throw new PyException('RuntimeError', `fetch_maven_artifacts: ${present.join(' and ')} name artifacts, which the local OpenShift cannot fetch (no Koji archives, no Maven)`)
    return []
  }
}
