/**
 * The library (`createBuild` and its parts) against the local OpenShift, without the GitHub toolkit.
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { startCluster } from '../emulator/src/index.js'
import { applyBuildConfig, buildRequest, checkCollision, checkBaseImageStream, createBuild, followLog, mergeBuildConfig, startOrAdopt, waitForTerminal } from '../src/flow/index.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { makePlan, RecordingReporter } from '../__fixtures__/e2e/plan.js'
import { clientOf, useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 1 }, { retry: { baseDelayMs: 10, maxDelayMs: 50 } })
const tmp = makeTempDir('osbs-flow-')

describe('createBuild', () => {
  it('runs the whole flow and reports through the Reporter only', async () => {
    const checkout = makeRepo(path.join(tmp, 'lib'), { Dockerfile: dockerfile('fedora:latest', 'acme/lib', '3.1', 'RUN seq 50\n') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, local.inputs(), reporter)
    const result = await createBuild(plan, local.api, reporter)
    expect(result.success).toBe(true)
    expect(result.adopted).toBe(false)
    expect(result.phase).toBe('Complete')
    expect(reporter.outputs['build-name']).toBe(result.buildName)
    expect(reporter.outputs.image).toBe('registry.example.com/acme/lib:3.1-1')
    expect(reporter.state['build-name']).toBe(result.buildName)
    // SPEC §5.4: fedora has no ImageStream in this namespace yet: the trigger is written all the same, and a notice says so
    expect(local.emulator.store.get('buildconfigs', local.emulator.namespace, result.buildConfig)?.spec.triggers).toEqual([
      { type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:latest' } } }
    ])
    expect(reporter.lines('notice')).toContain(
      `ImageStream fedora (base image fedora:latest) does not exist yet in namespace ${local.emulator.namespace}: the ImageChange trigger on fedora:latest is written, and autorebuilds start once the ImageStream exists`
    )
    // every line of the build log, once, in order
    const full = (await local.log(result.buildName!)).split('\n').filter((l) => l !== '')
    expect(reporter.lines('info').filter((l) => full.includes(l))).toEqual(full)
    // groups open and close in pairs
    const depth = reporter.events.reduce((d, e) => (e.kind === 'group' ? (expect(d).toBe(0), 1) : e.kind === 'endgroup' ? (expect(d).toBe(1), 0) : d), 0)
    expect(depth).toBe(0)
  })

  it('resumes a log cut three times without losing or repeating a line', async () => {
    const checkout = makeRepo(path.join(tmp, 'cut'), { Dockerfile: dockerfile('fedora:latest', 'acme/cut', '1.0', 'RUN seq 3000\n') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, { ...local.inputs(), 'follow-logs': 'false' }, reporter)
    const result = await createBuild(plan, local.api, reporter)
    expect(result.success).toBe(true)
    const fault = local.emulator.faults.cutStream({ path: /\/log$/ }, 7000, { count: 3 })
    const printed = new RecordingReporter()
    const followed = await followLog(local.api, result.buildName!, printed, { retryDelayMs: 10 })
    expect(fault.hits).toBe(3)
    expect(followed.streams).toBeGreaterThanOrEqual(4)
    const full = (await local.log(result.buildName!)).split('\n').filter((l) => l !== '')
    expect(printed.lines('info')).toEqual(full)
  })
})

describe('SPEC §6.3 the BuildRequest', () => {
  it('carries the pushed commit, the run that started it and who started it', async () => {
    const checkout = makeRepo(path.join(tmp, 'request'), { Dockerfile: dockerfile('fedora:latest', 'acme/request') })
    const plan = await makePlan(checkout, local.inputs(), new RecordingReporter())
    plan.settings.run = {
      ...plan.settings.run,
      headCommit: {
        message: 'Fix the thing\n\nLonger text',
        author: { name: 'J Doe', email: 'j@example.com' },
        committer: { name: 'GitHub', email: 'noreply@github.com' }
      }
    }
    expect(buildRequest(plan, 'req-1')).toEqual({
      kind: 'BuildRequest',
      apiVersion: 'build.openshift.io/v1',
      env: [{ name: 'SOURCE_REF', value: plan.settings.git.commit }],
      metadata: {
        name: plan.buildConfigName,
        annotations: {
          'osbs-build-action/request-id': 'req-1',
          'osbs-build-action/repository': 'https://github.com/acme/app',
          'osbs-build-action/run-url': 'https://github.com/acme/app/actions/runs/7',
          'osbs-build-action/actor': 'octocat'
        }
      },
      revision: {
        type: 'Git',
        git: {
          commit: checkout.commit,
          message: 'Fix the thing\n\nLonger text',
          author: { name: 'J Doe', email: 'j@example.com' },
          committer: { name: 'GitHub', email: 'noreply@github.com' }
        }
      },
      triggeredBy: [{ message: 'Started by GitHub Actions run https://github.com/acme/app/actions/runs/7' }]
    })
  })
})

describe('SPEC §5.4 the base ImageStream', () => {
  it('no notice when the ImageStream exists, or when no trigger is written', async () => {
    await local.api.request({
      verb: 'POST',
      group: 'image',
      resource: 'imagestreams',
      body: { apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', metadata: { name: 'present-base' } }
    })
    const checkout = makeRepo(path.join(tmp, 'present'), { Dockerfile: dockerfile('present/base:1', 'acme/present') })
    const withTrigger = await makePlan(checkout, local.inputs(), new RecordingReporter())
    expect(withTrigger.baseImageStreamTag).toBe('present-base:1')
    const reporter = new RecordingReporter()
    await checkBaseImageStream(withTrigger, local.api, reporter)
    expect(reporter.events.filter((e) => e.kind !== 'debug')).toEqual([])

    const missing = makeRepo(path.join(tmp, 'missing'), {
      Dockerfile: dockerfile('missing/base:1', 'acme/missing'),
      '.osbs-repo-config': '[autorebuild]\nenabled = false\n'
    })
    const noTrigger = await makePlan(missing, local.inputs(), new RecordingReporter())
    expect(noTrigger.autorebuild.enabled).toBe(false)
    await checkBaseImageStream(noTrigger, local.api, reporter)
    expect(reporter.events).toEqual([])
  })
})

describe('waiting for the end', () => {
  it('re-watches after clean closes and cut streams, and re-lists after 410 Expired', async () => {
    const slow = await startCluster({ port: 0, logWaitSeconds: 1, logPace: 10 })
    const c = clientOf(slow)
    try {
      const checkout = makeRepo(path.join(tmp, 'wait'), { Dockerfile: dockerfile('fedora:latest', 'acme/wait', '1.0', 'RUN seq 150\n') })
      const reporter = new RecordingReporter()
      const plan = await makePlan(checkout, { ...local.inputs(), 'openshift-server': slow.url, 'openshift-token': slow.token, namespace: slow.namespace, 'koji-hub': slow.kojiHub }, reporter)
      const applied = await applyBuildConfig(c, plan.buildConfig, reporter)
      const { build } = await startOrAdopt(c, plan, applied.buildConfig, reporter)
      const watch = { method: 'GET', path: /\/builds$/, query: { watch: 'true' } }
      const expired = slow.faults.respond(watch, 410, { count: 2 })
      const cut = slow.faults.cutStream(watch, 200, { count: 2 })
      let updates = 0
      // the server ends each watch after a second: several clean closes during the build
      const ended = await waitForTerminal(c, build.metadata.name, { from: build, watchSeconds: 1, onUpdate: () => updates++ })
      expect(ended.status.phase).toBe('Complete')
      expect(expired.hits).toBe(2)
      expect(cut.hits).toBe(2)
      expect(updates).toBeGreaterThan(0)
    } finally {
      await c.close()
      await slow.close()
    }
  })
})

describe('BuildConfig updates', () => {
  it('keeps what others set and the image a trigger last fired for', () => {
    const existing = {
      metadata: { name: 'bc', resourceVersion: '5', labels: { team: 'x', 'git-branch': 'main' }, annotations: { a: 'b' } },
      spec: {
        source: { type: 'Git', git: { uri: 'old', ref: 'old' }, sourceSecret: { name: 's' } },
        strategy: { type: 'Custom', customStrategy: { from: { kind: 'DockerImage', name: 'old' }, env: [{ name: 'OLD', value: '1' }] } },
        output: { to: { kind: 'DockerImage', name: 'old:1' }, pushSecret: { name: 'p' } },
        triggers: [
          { type: 'Generic', generic: { secret: 'x' } },
          { type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:latest' }, lastTriggeredImageID: 'fedora@sha256:1' } }
        ],
        nodeSelector: { a: 'b' }
      },
      status: { lastVersion: 3 }
    }
    const wanted = {
      apiVersion: 'build.openshift.io/v1' as const,
      kind: 'BuildConfig' as const,
      metadata: { name: 'bc', labels: { is_autorebuild: 'false', 'git-branch': 'main' } },
      spec: {
        runPolicy: 'Serial',
        source: { type: 'Git', git: { uri: 'new', ref: 'main' } },
        strategy: { type: 'Custom', customStrategy: { from: { kind: 'DockerImage', name: 'new' } } },
        output: { to: { kind: 'DockerImage', name: 'new:2' } },
        triggers: [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:latest' } } }]
      }
    }
    const merged = mergeBuildConfig(existing, wanted)
    expect(merged.metadata).toEqual({ name: 'bc', resourceVersion: '5', labels: { team: 'x', 'git-branch': 'main', is_autorebuild: 'false' }, annotations: { a: 'b' } })
    expect(merged.status).toEqual({ lastVersion: 3 })
    // the source-secret input owns sourceSecret: without it the BuildConfig clones without one (README, "Private repositories")
    expect(merged.spec.source).toEqual({ type: 'Git', git: { uri: 'new', ref: 'main' } })
    expect(mergeBuildConfig(existing, { ...wanted, spec: { ...wanted.spec, source: { ...wanted.spec.source, sourceSecret: { name: 't' } } } }).spec.source).toEqual({
      type: 'Git',
      git: { uri: 'new', ref: 'main' },
      sourceSecret: { name: 't' }
    })
    expect(merged.spec.strategy).toEqual(wanted.spec.strategy)
    expect(merged.spec.output).toEqual({ to: { kind: 'DockerImage', name: 'new:2' }, pushSecret: { name: 'p' } })
    expect(merged.spec.nodeSelector).toEqual({ a: 'b' })
    expect(merged.spec.triggers).toEqual([
      { type: 'Generic', generic: { secret: 'x' } },
      { type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:latest' }, lastTriggeredImageID: 'fedora@sha256:1' } }
    ])
  })

  it('replaces the ImageChange trigger (another tag, or none when autorebuild is off) and keeps other trigger types', () => {
    const existing = {
      metadata: { name: 'bc', resourceVersion: '9' },
      spec: {
        triggers: [
          { type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:30' }, lastTriggeredImageID: 'fedora@sha256:1' } },
          { type: 'GitHub', github: { secretReference: { name: 'hook' } } }
        ]
      }
    }
    const wanted = (triggers: unknown[]) => ({
      apiVersion: 'build.openshift.io/v1' as const,
      kind: 'BuildConfig' as const,
      metadata: { name: 'bc', labels: {} },
      spec: { triggers }
    })
    const retagged = mergeBuildConfig(existing, wanted([{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:31' } } }]))
    expect(retagged.spec.triggers).toEqual([
      { type: 'GitHub', github: { secretReference: { name: 'hook' } } },
      { type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:31' } } }
    ])
    expect(mergeBuildConfig(existing, wanted([])).spec.triggers).toEqual([{ type: 'GitHub', github: { secretReference: { name: 'hook' } } }])
  })

  it('a create whose answer is lost is not sent again: the BuildConfig is read back and updated', async () => {
    const checkout = makeRepo(path.join(tmp, 'lost-create'), { Dockerfile: dockerfile('fedora:latest', 'acme/lostcreate', '1.0') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, local.inputs(), reporter)
    const lost = local.emulator.faults.dropResponse({ method: 'POST', path: /\/buildconfigs$/ }, { count: 1 })
    const applied = await applyBuildConfig(local.api, plan.buildConfig, reporter, { wait: async () => {} })
    expect(lost.hits).toBe(1)
    expect(applied.created).toBe(false)
    expect(reporter.lines()).toContain(`Updated BuildConfig ${plan.buildConfigName}`)
    expect(local.emulator.store.get('buildconfigs', local.emulator.namespace, plan.buildConfigName)?.metadata.labels?.['git-repo-name']).toBe('lost-create')
  })

  it('never takes over a hand-made BuildConfig that carries no git-repo-name/git-branch labels', async () => {
    const checkout = makeRepo(path.join(tmp, 'handmade'), { Dockerfile: dockerfile('fedora:latest', 'acme/handmade', '1.0') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, local.inputs(), reporter)
    const { labels: _ours, ...unlabelled } = plan.buildConfig.metadata
    await local.api.createBuildConfig({ ...plan.buildConfig, metadata: { ...unlabelled, labels: { team: 'web' } } })
    await expect(applyBuildConfig(local.api, plan.buildConfig, reporter)).rejects.toThrow(
      `BuildConfig ${plan.buildConfigName} already exists without the labels git-repo-name, git-branch: it was not made for this repository and branch, and it is not taken over. Set build-config-name to use another name, or label it git-repo-name=handmade git-branch=main if it is meant for this repository and branch.`
    )
    expect(local.emulator.store.get('buildconfigs', local.emulator.namespace, plan.buildConfigName)?.metadata.labels).toEqual({ team: 'web' })
  })

  it("takes back its BuildConfig whose labels atomic-reactor's check_and_set_rebuild replaced with is_autorebuild alone", async () => {
    const checkout = makeRepo(path.join(tmp, 'relabelled'), { Dockerfile: dockerfile('fedora:latest', 'acme/relabelled', '1.0') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, local.inputs(), reporter)
    await local.api.createBuildConfig({ ...plan.buildConfig, metadata: { ...plan.buildConfig.metadata, labels: { is_autorebuild: 'true' } } })
    await applyBuildConfig(local.api, plan.buildConfig, reporter)
    expect(local.emulator.store.get('buildconfigs', local.emulator.namespace, plan.buildConfigName)?.metadata.labels).toMatchObject({ 'git-repo-name': 'relabelled', 'git-branch': 'main' })
    // one that builds another source is still not taken over
    const other = { metadata: { name: plan.buildConfigName, labels: { is_autorebuild: 'true' } }, spec: { source: { git: { uri: 'https://git.example.com/other.git', ref: 'main' } } } }
    expect(() => checkCollision(other, plan.buildConfig)).toThrow('already exists without the labels git-repo-name, git-branch')
  })

  it('re-reads and re-applies on 409, and never takes over a BuildConfig of another branch', async () => {
    const checkout = makeRepo(path.join(tmp, 'conflict'), { Dockerfile: dockerfile('fedora:latest', 'acme/conflict', '1.0') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, local.inputs(), reporter)
    await applyBuildConfig(local.api, plan.buildConfig, reporter)
    const fault = local.emulator.faults.respond({ method: 'PUT', path: /buildconfigs\// }, 409, { count: 2, reason: 'Conflict', message: 'the object has been modified' })
    const applied = await applyBuildConfig(local.api, plan.buildConfig, reporter, { wait: async () => {} })
    expect(fault.hits).toBe(2)
    expect(applied.created).toBe(false)

    const other = { ...plan.buildConfig, metadata: { ...plan.buildConfig.metadata, labels: { ...plan.buildConfig.metadata.labels, 'git-branch': 'release-2' } } }
    await expect(applyBuildConfig(local.api, other, reporter)).rejects.toThrow(`BuildConfig ${plan.buildConfigName} already exists for another source (git-branch: "main", this run: "release-2")`)
  })
})

describe('SPEC §6.4 the end of the log', () => {
  it('log requests slower than the grace after the build: the final log is compared, every line once, no false warning', async () => {
    const checkout = makeRepo(path.join(tmp, 'slow-log'), { Dockerfile: dockerfile('fedora:latest', 'acme/slowlog', '1.0', 'RUN seq 40\n') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, local.inputs(), reporter)
    // the first two log requests wait 1.5 s each: the second one starts after the build ended and outlasts the grace
    const slow = local.emulator.faults.delay({ method: 'GET', path: /\/log$/ }, 1500, { count: 2 })
    const result = await createBuild(plan, local.api, reporter, { logGraceMs: 300 })
    local.emulator.faults.remove(slow)
    expect(result.success).toBe(true)
    expect(reporter.lines('warning')).toEqual([])
    expect(slow.hits).toBeGreaterThanOrEqual(1)
    const full = (await local.log(result.buildName!)).split('\n').filter((l) => l !== '')
    expect(reporter.lines('info').filter((l) => full.includes(l))).toEqual(full)
    expect(reporter.lines('debug').join('\n')).toMatch(/the stream was still open 0 s after the build ended; the final log had \d+ more lines/)
  })
})
