import { afterEach, describe, expect, it } from '@jest/globals'
import { dryRunOutputs, dryRunSummary, reportDryRun } from '../src/report/dry-run.js'
import { reportFailure } from '../src/action/failure.js'
import { ProblemsError } from '../src/shared/errors.js'
import type { AnnotationProperties, Reporter } from '../src/shared/reporter.js'
import { makePlan, STAMP } from '../__fixtures__/dry-run/settings.js'

type Call = [string, ...unknown[]]

function recorder(): Reporter & { calls: Call[] } {
  const calls: Call[] = []
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, ...args])
    }
  return {
    calls,
    debug: record('debug'),
    info: record('info'),
    logLine: record('logLine'),
    notice: record('notice') as (m: string, p?: AnnotationProperties) => void,
    warning: record('warning') as (m: string, p?: AnnotationProperties) => void,
    error: record('error') as (m: string, p?: AnnotationProperties) => void,
    startGroup: record('startGroup'),
    endGroup: record('endGroup'),
    setSecret: record('setSecret'),
    setOutput: record('setOutput'),
    saveState: record('saveState')
  }
}

describe('dry-run report', () => {
  const plan = makePlan({ 'registry-uri': 'https://registry.example.com/v2', 'registry-secret': 'push' }, { repoConfig: '[autorebuild]\nenabled = off\n' })

  it('sets the dry-run outputs', () => {
    expect(dryRunOutputs(plan)).toEqual({
      'build-config': plan.buildConfigName,
      'build-kind': 'branch',
      autorebuild: 'false',
      'base-image': 'registry.example.com/fedora:39',
      'base-image-stream-tag': 'fedora:39',
      'build-config-json': JSON.stringify(plan.buildConfig)
    })
  })

  it('prints the BuildConfig, the decoded plugins and the ImageStream in three groups, then sets the outputs', () => {
    const reporter = recorder()
    reportDryRun(plan, reporter)
    const kinds = reporter.calls.map((c) => c[0])
    expect(kinds.filter((k) => k.endsWith('Group'))).toEqual(['startGroup', 'endGroup', 'startGroup', 'endGroup', 'startGroup', 'endGroup'])
    const groups = reporter.calls.filter((c) => c[0] === 'startGroup').map((c) => c[1])
    expect(groups).toEqual([`BuildConfig ${plan.buildConfigName}`, 'ATOMIC_REACTOR_PLUGINS (decoded)', 'ImageStream acme-widget (written after a Complete build)'])
    const starts = kinds.flatMap((k, i) => (k === 'startGroup' ? [i + 1] : []))
    expect(JSON.parse(reporter.calls[starts[0]][1] as string)).toEqual(plan.buildConfig)
    expect(JSON.parse(reporter.calls[starts[1]][1] as string)).toEqual(plan.plugins)
    expect(JSON.parse(reporter.calls[starts[2]][1] as string)).toEqual({
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'acme-widget' },
      spec: {
        tags: ['1.0', 'latest'].map((tag) => ({ name: tag, from: { kind: 'DockerImage', name: `registry.example.com/acme/widget:${tag}` }, importPolicy: { scheduled: true, insecure: false } }))
      }
    })
    expect(reporter.calls.filter((c) => c[0] === 'setOutput').map((c) => c[1])).toEqual(Object.keys(dryRunOutputs(plan)))
  })

  it('writes a summary with the facts, the plugins per phase and both documents', () => {
    const summary = dryRunSummary(plan)
    expect(summary).toContain(`## Dry run: BuildConfig ${plan.buildConfigName}`)
    expect(summary).toContain(`| Image | \`registry.example.com/acme/widget-container:none-55000-${STAMP}\` |`)
    expect(summary).toMatch(/\| Autorebuild \| off: autorebuild is disabled \(\.osbs-repo-config:2: enabled = off\) \|/)
    expect(summary).toContain('| Secrets | `push` |')
    expect(summary).toContain('| prepublish_plugins | `squash` |')
    expect(summary).toContain('| postbuild_plugins | `all_rpm_packages`, `tag_by_labels`, `tag_from_config`, `tag_and_push`, `compress` |')
    expect(summary).toContain('| exit_plugins | `koji_promote`, `store_metadata_in_osv3`, `remove_built_image` |')
    expect(summary).toContain('| ImageStream | `acme-widget`: `1.0`, `latest` from `registry.example.com/acme/widget` |')
    expect(summary).toContain(JSON.stringify(plan.imageStreamObject, null, 2))
    expect(summary).toContain('> [!NOTE]\n> No ImageChange trigger: autorebuild is disabled')
    expect(summary).toContain(JSON.stringify(plan.buildConfig, null, 2))
    expect(summary).toContain(JSON.stringify(plan.plugins, null, 2))
  })
})

describe('failure', () => {
  const exitCode = process.exitCode
  afterEach(() => {
    process.exitCode = exitCode
  })

  it('reports each problem as one error, with file and line when known, and exit code 1', () => {
    const reporter = recorder()
    reportFailure(
      new ProblemsError([
        { input: 'namespace', message: "Input namespace: 'X' is not valid." },
        { file: '.osbs-repo-config', line: 3, message: '.osbs-repo-config:3: bad' },
        { file: 'Dockerfile', message: 'Dockerfile has no FROM' }
      ]),
      reporter
    )
    expect(reporter.calls.filter((c) => c[0] === 'error')).toEqual([
      ['error', "Input namespace: 'X' is not valid.", undefined],
      ['error', '.osbs-repo-config:3: bad', { file: '.osbs-repo-config', startLine: 3 }],
      ['error', 'Dockerfile has no FROM', { file: 'Dockerfile' }]
    ])
    expect(process.exitCode).toBe(1)
  })

  it('reports any other error by its message', () => {
    const reporter = recorder()
    reportFailure(new Error('boom'), reporter)
    expect(reporter.calls).toEqual([['error', 'boom']])
    expect(process.exitCode).toBe(1)
  })
})
