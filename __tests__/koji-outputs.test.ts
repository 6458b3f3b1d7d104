/** The Koji build and RPM outputs from a finished Build's labels and annotations, as atomic-reactor 1.6.26.3 writes them. */
import { describe, expect, it } from '@jest/globals'
import { kojiFacts, nvrOfDockerfile } from '../src/report/koji.js'
import { outputsFrom, readBuild } from '../src/report/outputs.js'
import { renderSummary } from '../src/report/summary.js'

/** The final Dockerfile as store_metadata_in_osv3 stores it after change_from_in_dockerfile, bump_release and add_dockerfile. */
const FINAL_DOCKERFILE = [
  `FROM sha256:${'4d'.repeat(32)}`,
  'LABEL name="acme/widget" version="1.0" com.redhat.component="widget-container"',
  'RUN make install',
  'ADD Dockerfile-widget-container-1.0-3 /root/buildinfo/Dockerfile-widget-container-1.0-3',
  'LABEL "release"="3"',
  ''
].join('\n')

/** A Complete build after koji_promote: the `koji-build-id` label, 1.6.26.3's empty `rpm-packages`. */
function finishedBuild(labels: Record<string, string>, annotations: Record<string, string>) {
  return {
    metadata: {
      name: 'widget-main-8ab2c-3',
      labels: { 'openshift.io/build-config.name': 'widget-main-8ab2c', ...labels },
      annotations: { 'openshift.io/build.number': '3', dockerfile: FINAL_DOCKERFILE, 'rpm-packages': '', 'image-id': 'sha256:feed', ...annotations }
    },
    status: { phase: 'Complete', startTimestamp: '2026-12-07T10:00:00Z', completionTimestamp: '2026-12-07T10:03:20Z' }
  }
}
const context = { buildConfig: 'widget-main-8ab2c', registries: [], buildUrl: 'https://console.example.com/b/3' }

describe('Koji outputs', () => {
  it('koji_promote NVR from the final Dockerfile: com.redhat.component, version, release (the old names too)', () => {
    expect(nvrOfDockerfile(FINAL_DOCKERFILE)).toBe('widget-container-1.0-3')
    expect(nvrOfDockerfile('FROM f\nLABEL BZComponent=old Version=2 Release=5\n')).toBe('old-2-5')
    expect(nvrOfDockerfile('FROM f\nLABEL com.redhat.component=c version=2\n')).toBeUndefined()
    expect(nvrOfDockerfile(undefined)).toBeUndefined()
  })

  it('sets koji-build-id, koji-nvr and koji-build-url (with koji-web-url); rpm-count stays empty as 1.6.26.3 leaves rpm-packages', () => {
    const facts = readBuild(finishedBuild({ 'koji-build-id': '1042' }, {}), { ...context, kojiWebUrl: 'https://koji.example.com/koji/' })
    expect(facts.koji).toEqual({ buildId: '1042', nvr: 'widget-container-1.0-3', buildUrl: 'https://koji.example.com/koji/buildinfo?buildID=1042' })
    expect(outputsFrom(facts, { autorebuild: true })).toMatchObject({
      'koji-build-id': '1042',
      'koji-nvr': 'widget-container-1.0-3',
      'koji-build-url': 'https://koji.example.com/koji/buildinfo?buildID=1042',
      'rpm-count': ''
    })
    const summary = renderSummary({ facts, autorebuild: { enabled: true, reason: 'r' } })
    expect(summary).toContain('| Koji build | [`widget-container-1.0-3`](https://koji.example.com/koji/buildinfo?buildID=1042) (build 1042) |')
    expect(summary).not.toContain('| RPMs |')
  })

  it('without koji-web-url the summary names the build without a link; without the label there is no Koji build', () => {
    const facts = readBuild(finishedBuild({ 'koji-build-id': '7' }, {}), context)
    expect(facts.koji.buildUrl).toBeUndefined()
    expect(renderSummary({ facts, autorebuild: { enabled: false, reason: 'r' } })).toContain('| Koji build | `widget-container-1.0-3` (build 7) |')
    const none = readBuild(finishedBuild({}, {}), { ...context, kojiWebUrl: 'https://koji.example.com/koji' })
    expect(outputsFrom(none, { autorebuild: false })).toMatchObject({ 'koji-build-id': '', 'koji-build-url': '', 'koji-nvr': 'widget-container-1.0-3' })
    expect(renderSummary({ facts: none, autorebuild: { enabled: false, reason: 'r' } })).not.toContain('Koji build')
  })

  it('counts the RPMs of an rpm-packages annotation that lists them (rpm -qa lines), and ignores a label that is not an id', () => {
    const rpms = 'bash;5.2.15;3.fc39;x86_64;(none);8102933;abc;1690000000;(none);(none)\ncoreutils;9.3;4.fc39;x86_64;(none);1;def;1690000001;(none);(none)\n'
    expect(kojiFacts({ 'koji-build-id': 'None' }, { 'rpm-packages': rpms })).toEqual({ rpmCount: 2 })
    const facts = readBuild(finishedBuild({}, { 'rpm-packages': rpms }), context)
    expect(outputsFrom(facts, { autorebuild: false })['rpm-count']).toBe('2')
    expect(renderSummary({ facts, autorebuild: { enabled: false, reason: 'r' } })).toContain('| RPMs | 2 |')
  })
})
