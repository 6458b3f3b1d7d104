/**
 * Reactor conformance: the bundled action against two local OpenShifts with real builds, one whose build pods run
 * the real atomic-reactor 1.6.26.3 (through podman) and one whose pods run the in-process imitation (buildah). The
 * same cases run on both; each run's outputs must equal what the registry serves and what the Build's annotations
 * (written by store_metadata_in_osv3) say; then the two are compared, and any difference in phase, annotations,
 * pushed tags or log structure that `EXPLAINED` does not list is a defect of the imitation.
 *
 * Besides branch builds, osbs-client's other kinds run on both: a pull request's scratch build and an isolated build
 * of release 1.1 (direct Builds, no BuildConfig), and a branch build of a private repository served by the local
 * OpenShift's git server behind basic authentication, cloned with `source-secret` by the reactor's own `git`.
 *
 * Run alone: `npm run test:conformance`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { startGitServer, type GitServer } from '../emulator/src/index.js'
import { errorAnnotations, runAction, until, type ActionRun } from '../__fixtures__/e2e/action.js'
import { differences, logStructure, normalizeAnnotations, normalizeTag, unexplained, type Observation } from '../__fixtures__/e2e/conformance.js'
import { commitFiles, dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift, type LocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { EXPLAINED } from '../__fixtures__/e2e/reactor-differences.js'
import { describeRealBuilds, skopeoInspect } from '../__fixtures__/e2e/real-builds.js'
import { describeWithReactorTools } from '../__fixtures__/reactor-tools.js'

const exec = promisify(execFile)
type Mode = 'real' | 'emulated'
const MODES: Mode[] = ['real', 'emulated']
const TERMINAL = ['Complete', 'Failed', 'Error', 'Cancelled']

/**
 * The cases: a repository each; `rebuilt` says what the autorebuild after a new base must do (`none`: there is no
 * ImageChange trigger); `later` is committed to the branch after the action's run, without running it again.
 */
const CASES: {
  name: string
  files: (from: string) => Record<string, string>
  code: 0 | 1
  rebuilt: 'Complete' | 'Failed' | 'none'
  later?: Record<string, string>
  /** more inputs, from the case's cluster */
  inputs?: (local: LocalOpenShift) => Record<string, string>
}[] = [
  { name: 'v2-only', files: (from) => ({ Dockerfile: dockerfile(from, 'acme/plain', '1.0', 'RUN echo hello && seq 3\n') }), code: 0, rebuilt: 'Complete' },
  {
    name: 'autorebuild-enabled',
    files: (from) => ({ Dockerfile: dockerfile(from, 'acme/enabled', '2.0', 'RUN echo enabled > /e.txt\n'), '.osbs-repo-config': '[autorebuild]\nenabled = true\n' }),
    code: 0,
    rebuilt: 'Complete'
  },
  {
    name: 'autorebuild-disabled',
    files: (from) => ({ Dockerfile: dockerfile(from, 'acme/disabled', '3.0', 'RUN echo disabled\n'), '.osbs-repo-config': '[autorebuild]\nenabled = false\n' }),
    code: 0,
    rebuilt: 'none'
  },
  {
    // enabled when the action ran, disabled by a later commit: the autorebuild builds that commit and stops itself
    name: 'autorebuild-turned-off',
    files: (from) => ({ Dockerfile: dockerfile(from, 'acme/turned-off', '4.0', 'RUN echo on\n'), '.osbs-repo-config': '[autorebuild]\nenabled = true\n' }),
    code: 0,
    rebuilt: 'Failed',
    later: { '.osbs-repo-config': '[autorebuild]\nenabled = false\n' }
  },
  { name: 'failing-run', files: (from) => ({ Dockerfile: dockerfile(from, 'acme/broken', '1.0', 'RUN echo about to fail; exit 7\n') }), code: 1, rebuilt: 'Failed' },
  {
    // osbs-client's prod plugins with every input that turns one on: the Koji target's repository in the build,
    // the additional tag, the man page, the import into Koji and its tag, the mail
    name: 'prod',
    files: (from) => ({
      Dockerfile: dockerfile(from, 'acme/prod', '1.0', 'RUN cat /etc/yum.repos.d/*.repo > /repos-seen.txt\n'),
      'additional-tags': 'stable\n',
      'help.md': '% PROD(1) Container Image Pages\n% Acme\n% December 2026\n\n# NAME\nprod - the prod image\n'
    }),
    code: 0,
    rebuilt: 'Complete',
    inputs: (local) => ({
      target: KOJI_TARGET,
      'koji-root': local.emulator.kojiRoot,
      'smtp-host': local.emulator.smtpHost,
      'smtp-from': 'osbs@example.com',
      'smtp-additional-addresses': 'release@example.com'
    })
  }
]

/** The Koji target of the prod case, on both clusters' hubs. */
const KOJI_TARGET = 'acme-1.0-container'

/** The build kinds and the private source: `run` gives the action's inputs and environment for the case's repository. */
interface KindCase {
  name: string
  files: (from: string) => Record<string, string>
  /** The tags the registry serves afterwards (normalized). */
  pushed: string[]
  kind: 'scratch' | 'isolated' | 'branch'
  private?: boolean
  release?: string
}
const KIND_CASES: KindCase[] = [
  { name: 'scratch', files: (from) => ({ Dockerfile: dockerfile(from, 'acme/scratch', '1.0', 'RUN echo scratch\n') }), pushed: ['<unique>'], kind: 'scratch' },
  { name: 'isolated', files: (from) => ({ Dockerfile: dockerfile(from, 'acme/isolated', '1.0', 'RUN echo isolated\n') }), pushed: ['1.0-1.1', '<unique>'], kind: 'isolated', release: '1.1' },
  {
    name: 'private-source',
    files: (from) => ({ Dockerfile: dockerfile(from, 'acme/private', '1.0', 'RUN echo private\n') }),
    pushed: ['1.0', '1.0-1', '<unique>', 'latest'],
    kind: 'branch',
    private: true
  }
]

/** The runner's variables of a pull request from the same repository (GITHUB_SHA is the merge commit, which no clone reaches). */
function pullRequestEnv(dir: string, head: Checkout, number: number): Record<string, string> {
  const file = path.join(dir, `event-${number}.json`)
  const payload = {
    number,
    pull_request: { number, head: { ref: head.branch, sha: head.commit, repo: { full_name: 'acme/scratch', clone_url: head.uri } }, base: { ref: 'main', repo: { full_name: 'acme/scratch' } } },
    repository: { full_name: 'acme/scratch', name: 'scratch', owner: { login: 'acme' } }
  }
  writeFileSync(file, JSON.stringify(payload))
  return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: file, GITHUB_REF: `refs/pull/${number}/merge`, GITHUB_SHA: 'f'.repeat(40) }
}

describeRealBuilds('reactor conformance', () => {
  describeWithReactorTools('the real atomic-reactor and the in-process one, case by case', () => {
    const clusterOptions = {
      logWaitSeconds: 5,
      builds: 'real' as const,
      registryNames: ['registry', 'source'],
      sourceRegistry: 'source',
      podGracePeriodMs: 5000,
      kojiTargets: [KOJI_TARGET]
    }
    const clusters: Record<Mode, LocalOpenShift> = {
      real: useLocalOpenShift({ ...clusterOptions, reactor: 'real' }),
      emulated: useLocalOpenShift({ ...clusterOptions, reactor: 'emulated' })
    }
    const observed: Record<string, Partial<Record<Mode, Observation>>> = {}
    const runs: Record<string, Partial<Record<Mode, ActionRun>>> = {}
    let tmp: string
    // one git server per cluster: the repository has the same name on both, and so the same BuildConfig name
    const gitServers: Partial<Record<Mode, GitServer>> = {}
    beforeAll(async () => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'osbs-conformance-'))
      for (const mode of MODES) {
        const gitServer = (gitServers[mode] = await startGitServer())
        const e = clusters[mode].emulator
        await e.publishImage(e.namespace, 'fedora', 'latest', { from: 'fedora:latest' })
        // the token of the private repository, as `oc create secret generic … --type=kubernetes.io/basic-auth` makes it
        await clusters[mode].api.request({
          verb: 'POST',
          group: 'core',
          resource: 'secrets',
          body: {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'git-token' },
            type: 'kubernetes.io/basic-auth',
            data: { username: Buffer.from(gitServer.username).toString('base64'), password: Buffer.from(gitServer.password).toString('base64') }
          }
        })
      }
    })
    afterAll(async () => {
      for (const mode of MODES) await gitServers[mode]?.close()
      rmSync(tmp, { recursive: true, force: true })
    })

    const hostsOf = (mode: Mode) => clusters[mode].emulator.registryHosts as Record<string, string>
    const inputs = (mode: Mode) => {
      const h = hostsOf(mode)
      // squash: the real atomic-reactor 1.6.26.3 imports docker_squash, which cannot be installed here (no Debian
      // package): it would fail every build with `no such plugin: 'squash'` (README: what is real). The imitation's
      // squash is checked on real builds by e2e-prod-plugins and real-reactor-plugins.
      return clusters[mode].inputs({ 'registry-uri': `${h.registry}/v2`, 'source-registry-uri': h.source!, 'registry-api-versions': 'v2', squash: 'false' })
    }

    /** What the build left: its phase, the reactor's labels and annotations, the registry's tags, the log's shape. */
    async function observe(mode: Mode, buildName: string): Promise<Observation> {
      const local = clusters[mode]
      const build = local.emulator.store.get('builds', local.emulator.namespace, buildName)!
      // a scratch or an isolated build has no BuildConfig
      const bcName = build.metadata.labels?.['openshift.io/build-config.name']
      const bc = bcName ? local.emulator.store.get('buildconfigs', local.emulator.namespace, bcName) : undefined
      const annotations = build.metadata.annotations ?? {}
      const repository = /LABEL name="([^"]+)"/.exec(annotations.dockerfile ?? '')?.[1]
      const ownLabels = Object.fromEntries(
        Object.entries(build.metadata.labels ?? {})
          .filter(([k]) => !k.startsWith('openshift.io/') && !['buildconfig', 'git-repo-name', 'git-branch'].includes(k))
          // the Koji build id: the hub's sequence (NORMALIZED)
          .map(([k, v]) => [k, k === 'koji-build-id' && /^\d+$/.test(v) ? '<koji-build-id>' : v])
      )
      return {
        phase: build.status.phase,
        reason: build.status.reason,
        labels: ownLabels,
        buildConfigAutorebuild: bc?.metadata.labels?.is_autorebuild,
        annotations: normalizeAnnotations(annotations, hostsOf(mode), buildName),
        pushedTags: repository ? await tags(`${hostsOf(mode).registry}/${repository}`) : [],
        log: logStructure(await local.log(buildName))
      }
    }

    async function tags(repository: string): Promise<string[]> {
      try {
        const { stdout } = await exec('skopeo', ['list-tags', '--tls-verify=false', `docker://${repository}`])
        return [...new Set((JSON.parse(stdout).Tags as string[]).map(normalizeTag))].sort()
      } catch {
        return [] // nothing pushed: the registry does not know the repository
      }
    }

    /** The outputs name what the registry serves and what the annotations say. */
    async function checkOutputs(mode: Mode, run: ActionRun): Promise<void> {
      const out = run.outputs
      const local = clusters[mode]
      const build = local.emulator.store.get('builds', local.emulator.namespace, out['build-name']!)!
      const annotations = build.metadata.annotations ?? {}
      const recorded = JSON.parse(annotations.digests ?? '[]') as { registry: string; repository: string; tag: string; digest: string }[]
      expect(JSON.parse(out.digests!)).toEqual(recorded.map((d) => expect.objectContaining({ repository: d.repository, tag: d.tag, digest: d.digest })))
      const repositories = JSON.parse(annotations.repositories ?? '{}') as { primary?: string[]; unique?: string[] }
      expect(out['primary-images']!.split('\n').filter(Boolean).sort()).toEqual([...(repositories.primary ?? [])].sort())
      expect(out['unique-images']!.split('\n').filter(Boolean).sort()).toEqual([...(repositories.unique ?? [])].sort())
      for (const d of recorded) expect((await skopeoInspect(`${hostsOf(mode).registry}/${d.repository}:${d.tag}`)).Digest).toBe(d.digest)
      const served = await skopeoInspect(out.image!)
      expect(out['image-digest']).toBe(served.Digest)
      expect(out['commit-id']).toBe(annotations.commit_id)
      expect(out['image-id']).toBe(annotations['image-id'])
    }

    /** The prod case's effects outside the registry: the build in Koji with its outputs, tagged; the mail. */
    async function checkProd(mode: Mode, run: ActionRun): Promise<void> {
      const e = clusters[mode].emulator
      const nvr = run.outputs['koji-nvr']!
      expect(nvr).toBe('prod-1.0-1')
      const build = e.koji!.builds().find((b) => `${b.name}-${b.version}-${b.release}` === nvr)
      expect(build && String(build.id)).toBe(run.outputs['koji-build-id'])
      expect(build!.outputs.map((o) => o.type)).toEqual(expect.arrayContaining(['docker-image', 'log']))
      expect(e.koji!.tagged(KOJI_TARGET)).toContain(nvr)
      // rpm-count: the RPM components the hub kept of the image (all_rpm_packages' list, sent by koji_promote)
      const archives = e.koji!.call('listArchives', [{ buildID: build!.id, type: 'image', __starstar: true }]) as { id: number }[]
      const rpms = archives.flatMap((a) => e.koji!.call('listRPMs', [{ imageID: a.id, __starstar: true }]) as { id: number; name: string }[])
      expect(rpms.map((r) => r.name)).toContain('fedora-release')
      expect(run.outputs['rpm-count']).toBe(String(new Set(rpms.map((r) => r.id)).size))
      expect((await e.mail!.waitForMessages(1))[0]).toMatchObject({ from: 'osbs@example.com', to: ['release@example.com'], subject: expect.stringMatching(/^Succeeded building image acme\/prod:/) })
      expect(await tags(`${hostsOf(mode).registry}/acme/prod`)).toContain('stable')
    }

    for (const c of CASES) {
      for (const mode of MODES) {
        it(`${c.name}: the ${mode} reactor`, async () => {
          const repo = makeRepo(path.join(tmp, mode, c.name), c.files('fedora:latest'))
          const run = await runAction({ checkout: repo, repository: `acme/${c.name}`, inputs: { ...inputs(mode), ...c.inputs?.(clusters[mode]) } })
          if (run.code !== c.code) console.log(run.stdout)
          expect(run.code).toBe(c.code)
          ;(runs[c.name] ??= {})[mode] = run
          if (c.code === 0) await checkOutputs(mode, run)
          else expect(run.outputs['build-status']).toBe('Failed')
          ;(observed[c.name] ??= {})[mode] = await observe(mode, run.outputs['build-name']!)
          if (c.later) commitFiles(repo, c.later, 'later change')
          if (c.name === 'prod') await checkProd(mode, run)
        })
      }
    }

    describe('the autorebuild chain', () => {
      for (const mode of MODES) {
        it(`a new base image: OpenShift rebuilds every image on it (the ${mode} reactor)`, async () => {
          const local = clusters[mode]
          const e = local.emulator
          await e.publishImage(e.namespace, 'fedora', 'latest')
          for (const c of CASES) {
            const bc = runs[c.name]?.[mode]?.outputs['build-config']
            if (!bc) throw new Error(`${c.name} did not run on the ${mode} reactor`)
            if (c.rebuilt === 'none') {
              expect(runs[c.name]![mode]!.outputs.autorebuild).toBe('false')
              continue
            }
            const rebuild = await until(
              `the autorebuild of ${bc} to end`,
              () => {
                const all = local.buildsOf(bc)
                return all.length >= 2 && TERMINAL.includes(all[1]!.status?.phase) ? all[1] : undefined
              },
              240_000,
              200
            )
            ;(observed[`${c.name} (autorebuild)`] ??= {})[mode] = await observe(mode, rebuild.metadata.name)
            if (rebuild.status.phase !== c.rebuilt) console.log(`${rebuild.metadata.name} (${mode} reactor):\n${await local.log(rebuild.metadata.name)}`)
            expect({ case: c.name, phase: rebuild.status.phase }).toEqual({ case: c.name, phase: c.rebuilt })
          }
          // without a trigger nothing was rebuilt
          await e.settled()
          for (const c of CASES.filter((k) => k.rebuilt === 'none')) expect(local.buildsOf(runs[c.name]![mode]!.outputs['build-config']!).length).toBe(1)
          // the enabled image's rebuild asked the Koji hub for its release: the second one
          const enabled = observed['autorebuild-enabled (autorebuild)']![mode]!
          expect(String(enabled.annotations.dockerfile)).toMatch(/release="?2"?/)
          expect(enabled.labels.is_autorebuild).toBe('true')
        }, 600_000)
      }
    })

    // after the autorebuild chain: no new base image rebuilds the private repository's BuildConfig meanwhile
    for (const c of KIND_CASES) {
      for (const mode of MODES) {
        it(`${c.name}: the ${mode} reactor`, async () => {
          const gitServer = gitServers[mode]!
          let repo = makeRepo(path.join(tmp, mode, c.name), c.files('fedora:latest'))
          let env: Record<string, string> | undefined
          if (c.kind === 'scratch') {
            repo = commitFiles(repo, { 'README.md': 'the pull request\n' }, 'the head of pull request 5')
            env = pullRequestEnv(path.join(tmp, mode), repo, 5)
          }
          const extra: Record<string, string> = c.release ? { release: c.release } : {}
          if (c.private) {
            repo = { ...repo, uri: gitServer.publish(c.name, repo.dir) }
            extra['source-secret'] = 'git-token'
          }
          const served = gitServer.requests.length
          const run = await runAction({ checkout: repo, repository: `acme/${c.name}`, inputs: { ...inputs(mode), ...extra }, env })
          if (run.code !== 0) console.log(run.stdout)
          expect(run.code).toBe(0)
          expect(run.outputs['build-kind']).toBe(c.kind)
          expect(run.outputs['commit-id']).toBe(repo.commit)
          await checkOutputs(mode, run)
          const observation = await observe(mode, run.outputs['build-name']!)
          expect(observation.pushedTags).toEqual(c.pushed)
          if (c.kind !== 'branch') expect(run.outputs['build-config']).toBe('')
          if (c.private) {
            // the reactor's own git clone authenticated: refused without credentials first (git sends them only after a 401), then served as the secret's user
            const requests = gitServer.requests.slice(served).filter((r) => r.path.startsWith(`/${c.name}.git/`))
            expect(requests.some((r) => r.status === 401)).toBe(true)
            expect(requests.filter((r) => r.user === gitServer.username && r.status === 200).length).toBeGreaterThan(0)
            expect(await clusters[mode].log(run.outputs['build-name']!)).not.toContain(gitServer.password)
          }
          ;(observed[c.name] ??= {})[mode] = observation
        })
      }
    }

    for (const mode of MODES) {
      it(`a pull request whose head commit the repository does not have: the step names the commit and the repository (the ${mode} reactor)`, async () => {
        let repo = makeRepo(path.join(tmp, mode, 'gone'), { Dockerfile: dockerfile('fedora:latest', 'acme/gone', '1.0') })
        repo = { ...repo, commit: 'd'.repeat(40) }
        const run = await runAction({ checkout: repo, repository: 'acme/gone', inputs: inputs(mode), env: pullRequestEnv(path.join(tmp, mode), repo, 6) })
        expect(run.code).toBe(1)
        expect(run.outputs['build-status']).toBe('Failed')
        expect(errorAnnotations(run.stdout).slice(-1)[0]).toMatch(
          new RegExp(
            `^The build could not fetch commit ${repo.commit} from ${repo.uri}: the repository has no such commit \\(git: fatal: Could not parse object '${repo.commit}'\\.\\)\\. The head of pull request #6 is no longer there`
          )
        )
      })
    }

    it('the two reactors differ only where the written list says why', () => {
      const found = Object.entries(observed).flatMap(([name, byMode]) =>
        byMode.real && byMode.emulated ? differences(name, byMode.real, byMode.emulated) : [{ case: name, field: 'observation', real: !!byMode.real, emulated: !!byMode.emulated }]
      )
      expect(unexplained(found, EXPLAINED)).toEqual([])
    })
  })
})
