/**
 * Every plugin list the action renders is one atomic-reactor 1.6.26.3 runs as intended: each plugin exists in its
 * phase, each argument is in its constructor's signature (one the runner would drop is a bug of ours), each required
 * argument is there, and each plugin's preconditions on earlier plugins hold (see emulator/src/reactor/catalogue/).
 * The settings are the combinations the render and dry-run tests use, crossed with the Dockerfile cases.
 */
import { describe, expect, it } from '@jest/globals'
import { checkPluginConfig } from '../emulator/src/reactor/catalogue/check.js'
import type { RawInputs } from '../src/inputs/raw.js'
import { DOCKERFILE, KOJI_INPUTS, makePlan, SMTP_INPUTS } from '../__fixtures__/dry-run/settings.js'

const REGISTRIES: RawInputs[] = [
  {},
  { 'registry-uri': 'registry.example.com', 'registry-api-versions': 'v1' },
  { 'registry-uri': 'registry.example.com/v2' },
  { 'registry-uri': 'registry.example.com/v2', 'registry-api-versions': 'v1' },
  { 'registry-uri': 'https://registry.example.com:5000/v2', 'registry-secret': 'regsecret' },
  { 'registry-uri': 'registry.example.com', 'registry-api-versions': 'v1', 'pulp-registry-name': 'pulp', 'pulp-secret': 'psecret' },
  { 'registry-uri': 'https://registry.example.com/v2', 'registry-secret': 'v2secret', 'registry-api-versions': 'v2', 'pulp-registry-name': 'pulp', 'pulp-secret': 'psecret' },
  { 'registry-uri': 'registry1.example.com/v1,registry2.example.com/v2', 'pulp-registry-name': 'v1pulp', 'pulp-secret': 'v1pulpsecret' },
  { 'registry-uri': 'registry1.example.com/v1,registry2.example.com/v2', 'registry-api-versions': 'v1', 'pulp-registry-name': 'v1pulp', 'pulp-secret': 'v1pulpsecret' },
  { 'registry-uri': 'registry2.example.com/v2', 'pulp-registry-name': 'a', 'pulp-secret': 'as', 'pulp-sync-registry-name': 'b', 'pulp-sync-secret': 'bs' },
  { 'registry-uri': 'registry.example.com/v2', 'source-registry-uri': 'registry.example.com', 'pulp-registry-name': 'pulp', 'pulp-secret': 'p' },
  { 'registry-uri': 'https://registry.example.com/v2,registry2.example.com', 'source-registry-uri': 'https://source.example.com' }
]
const OTHERS: RawInputs[] = [{}, { 'koji-hub': '' }, { 'insecure-skip-tls-verify': 'true' }, { 'dry-run': 'true', 'openshift-server': '', 'openshift-token': '' }]
const FILES: { dockerfile?: string; repoConfig?: string | null }[] = [
  {},
  { repoConfig: '[autorebuild]\nenabled = false\n' },
  { dockerfile: `FROM fedora@sha256:${'d'.repeat(64)}\nLABEL name=acme/widget version=1\n` },
  { dockerfile: 'FROM scratch\nLABEL name=acme/widget version=1\n' },
  { dockerfile: 'ARG RUNTIME=quay.io/acme/runtime:2\nFROM golang:1 AS build\nFROM ${RUNTIME}\nLABEL name=acme/widget version=1\n' },
  { dockerfile: DOCKERFILE + 'LABEL release=3\n', repoConfig: '[autorebuild]\nenabled = false\n' }
]

/** The inputs of the prod plugins (issue 23), every one set at once: each alone is checked too. */
const PROD_INPUTS: RawInputs = {
  ...KOJI_INPUTS,
  'yum-repourls': 'https://repos.example.com/extra.repo',
  squash: 'false',
  'rpm-packages': 'false',
  ...SMTP_INPUTS,
  'smtp-additional-addresses': 'team@example.com',
  'smtp-send-on': 'auto_canceled,auto_fail,auto_success,manual_canceled,manual_fail,manual_success'
}
/** Inputs that go together are set together; the others alone. */
const TOGETHER: string[][] = [
  ['koji-kerberos-principal', 'koji-kerberos-keytab'],
  ['smtp-host', 'smtp-from'],
  ['smtp-host', 'smtp-from', 'smtp-additional-addresses', 'smtp-error-addresses', 'smtp-email-domain', 'smtp-to-submitter', 'smtp-to-pkgowner', 'smtp-send-on'],
  ['target', 'koji-root'],
  ['target', 'koji-root', 'yum-repourls']
]
const pick = (names: string[]): RawInputs => Object.fromEntries(names.map((n) => [n, PROD_INPUTS[n as keyof RawInputs]]))
const PROD_SETS: RawInputs[] = [
  PROD_INPUTS,
  { ...PROD_INPUTS, 'yum-repourls': '', squash: 'true' },
  ...Object.keys(PROD_INPUTS)
    .filter((name) => !TOGETHER.slice(0, 2).some((group) => group.includes(name)) && !name.startsWith('smtp-'))
    .map((name) => pick([name])),
  ...TOGETHER.map(pick)
]
const KINDS: RawInputs[] = [{}, { 'build-kind': 'scratch' }, { 'build-kind': 'isolated', release: '1.1' }]
const PROD_REGISTRIES = [REGISTRIES[0], REGISTRIES[6], REGISTRIES[7]]

describe('the rendered plugin lists against atomic-reactor 1.6.26.3', () => {
  it(`the prod plugins' inputs, all at once and each alone, with and without Koji, each kind (${PROD_SETS.length * 2 * KINDS.length * PROD_REGISTRIES.length * FILES.length}) pass the check`, () => {
    let checked = 0
    for (const set of PROD_SETS)
      for (const koji of [{}, { 'koji-hub': '' }])
        for (const kind of KINDS)
          for (const registries of PROD_REGISTRIES)
            for (const files of FILES) {
              // an isolated build gives its release: a release label with autorebuild disabled is a branch build's case
              if (kind['build-kind'] === 'isolated' && files.dockerfile?.includes('release=')) continue
              const inputs = { ...registries, ...set, ...koji, ...kind }
              const plan = makePlan(inputs, files)
              expect({ inputs, files, problems: checkPluginConfig(plan.plugins) }).toEqual({ inputs, files, problems: [] })
              checked++
            }
    expect(checked).toBeGreaterThan(1000)
  })

  it(`every combination (${REGISTRIES.length * OTHERS.length * FILES.length}) passes the signature and precondition check`, () => {
    let checked = 0
    for (const registries of REGISTRIES) {
      for (const other of OTHERS) {
        for (const files of FILES) {
          const plan = makePlan({ ...registries, ...other }, files)
          expect({ inputs: { ...registries, ...other }, files, problems: checkPluginConfig(plan.plugins) }).toEqual({ inputs: { ...registries, ...other }, files, problems: [] })
          checked++
        }
      }
    }
    expect(checked).toBe(REGISTRIES.length * OTHERS.length * FILES.length)
  })

  it('the check finds what the old lists had wrong', () => {
    const old = {
      prebuild_plugins: [{ name: 'bump_release', args: { git_ref: 'abc', git_branch: 'main' } }, { name: 'change_from_in_dockerfile' }],
      postbuild_plugins: [{ name: 'tag_by_labels' }, { name: 'tag_and_push', args: { registries: {} } }, { name: 'compress', args: { method: 'gzip', load_exported_image: true } }],
      exit_plugins: [{ name: 'resolve_module_compose' }, { name: 'dockerfile_content', required: false }]
    }
    expect(checkPluginConfig(old)).toEqual([
      'prebuild_plugins: bump_release does not take git_ref (the runner drops it: BumpReleasePlugin.__init__ has no such parameter)',
      'prebuild_plugins: bump_release does not take git_branch (the runner drops it: BumpReleasePlugin.__init__ has no such parameter)',
      'prebuild_plugins: bump_release needs hub (a TypeError without it)',
      'postbuild_plugins: compress has load_exported_image: true but no prepublish plugin exports the image (squash does)',
      "exit_plugins: no such plugin 'resolve_module_compose' in atomic-reactor 1.6.26.3"
    ])
  })
})
