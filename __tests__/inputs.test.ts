import { describe, expect, it } from '@jest/globals'
import { parseSettings } from '../src/inputs/parse.js'
import type { Environment, GithubContext, RawInputs } from '../src/inputs/raw.js'
import type { Settings } from '../src/settings.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const CONTEXT: GithubContext = {
  ref: 'refs/heads/main',
  sha: SHA,
  repository: 'Acme/Widget',
  serverUrl: 'https://github.com',
  runId: 42,
  actor: 'jdoe',
  eventName: 'push',
  payload: { head_commit: { message: 'Fix it', author: { name: 'J Doe', email: 'j@example.com' }, committer: { name: 'GitHub', email: 'noreply@github.com' } } }
}
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: 'https://api.cluster.example.com:6443'}
contexts:
- name: ctx
  context: {cluster: c, user: u, namespace: from-kubeconfig}
current-context: ctx
users:
- name: u
  user: {token: abc}
`
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

function environment(files: Record<string, string> = {}, env: Record<string, string> = {}): Environment {
  return {
    env: { GITHUB_WORKSPACE: '/checkout', ...env },
    homedir: '/home/runner',
    cwd: '/checkout',
    readFile: (file) => files[file] ?? null
  }
}

const BASE: RawInputs = { 'openshift-server': 'https://api.example.com:6443', 'openshift-token': 'sha256~secret', namespace: 'builds' }

function settings(raw: RawInputs = {}, context: GithubContext = CONTEXT, env = environment()): Settings {
  const result = parseSettings({ ...BASE, ...raw }, context, env)
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'))
  return result.settings
}

function problems(raw: RawInputs, context: GithubContext = CONTEXT, env = environment()): string[] {
  const result = parseSettings({ ...BASE, ...raw }, context, env)
  if (result.ok) throw new Error('expected problems')
  return result.problems.map((p) => p.message)
}

describe('SPEC §2 defaults', () => {
  it('fills every default from the GitHub context', () => {
    const s = settings()
    expect(s).toMatchObject({
      connection: { server: 'https://api.example.com:6443', token: 'sha256~secret', insecureSkipTlsVerify: false },
      namespace: 'builds',
      git: { uri: 'https://github.com/Acme/Widget.git', branch: 'main', commit: SHA },
      workspace: '/checkout',
      dockerfile: 'Dockerfile',
      repoConfigFile: '.osbs-repo-config',
      user: 'acme',
      builder: { kind: 'DockerImage', name: 'buildroot:latest' },
      registries: [],
      registryApiVersions: ['v1', 'v2'],
      buildJsonDir: '/usr/share/osbs',
      onRunningBuild: 'wait',
      followLogs: true,
      wait: true,
      timeoutMinutes: 120,
      dryRun: false,
      run: {
        repository: 'Acme/Widget',
        serverUrl: 'https://github.com',
        runUrl: 'https://github.com/Acme/Widget/actions/runs/42',
        actor: 'jdoe',
        eventName: 'push',
        headCommit: { message: 'Fix it', author: { name: 'J Doe', email: 'j@example.com' } }
      }
    })
    expect(s.component).toBeUndefined()
    expect(s.pulp).toBeUndefined()
    expect(s.buildConfigName).toBeUndefined()
  })

  it('takes explicit values', () => {
    const s = settings({
      'git-uri': 'https://git.example.com/x/y.git',
      'git-branch': 'release-1',
      'git-commit': SHA.toUpperCase(),
      dockerfile: './images/app/Dockerfile',
      'repo-config-file': 'conf/.osbs-repo-config',
      user: 'team',
      component: 'widget-c',
      target: 'f40-candidate',
      'build-imagestream': 'buildroot:v2',
      'build-config-name': 'my-bc',
      'on-running-build': 'cancel',
      'follow-logs': 'False',
      wait: 'FALSE',
      'timeout-minutes': '30',
      'dry-run': 'true',
      'koji-hub': 'https://koji.example.com/kojihub',
      'builder-openshift-url': 'https://openshift.default.svc/',
      'build-json-dir': '/opt/osbs'
    })
    expect(s).toMatchObject({
      git: { uri: 'https://git.example.com/x/y.git', branch: 'release-1', commit: SHA },
      dockerfile: 'images/app/Dockerfile',
      repoConfigFile: 'conf/.osbs-repo-config',
      user: 'team',
      component: 'widget-c',
      target: 'f40-candidate',
      builder: { kind: 'ImageStreamTag', name: 'buildroot:v2' },
      buildConfigName: 'my-bc',
      onRunningBuild: 'cancel',
      followLogs: false,
      wait: false,
      timeoutMinutes: 30,
      dryRun: true,
      kojiHub: 'https://koji.example.com/kojihub',
      builderOpenshiftUrl: 'https://openshift.default.svc',
      buildJsonDir: '/opt/osbs'
    })
  })

  it('parses registries, secrets by position, versions, the source registry and Pulp', () => {
    const s = settings({
      'registry-uri': 'registry.example.com,\n https://r2.example.com:5000/v2 \n http://r3.example.com/v1/',
      'registry-secret': 'sec1, sec2',
      'registry-api-versions': 'v2\nv1',
      'source-registry-uri': 'https://source.example.com',
      'pulp-registry-name': 'pulp-env',
      'pulp-secret': 'pulp-sec'
    })
    expect(s.registries).toEqual([
      { uri: 'registry.example.com', scheme: undefined, host: 'registry.example.com', base: 'registry.example.com', version: 'v1', versionExplicit: false, insecure: true, secret: 'sec1' },
      {
        uri: 'https://r2.example.com:5000/v2',
        scheme: 'https',
        host: 'r2.example.com:5000',
        base: 'https://r2.example.com:5000',
        version: 'v2',
        versionExplicit: true,
        insecure: false,
        secret: 'sec2'
      },
      { uri: 'http://r3.example.com/v1/', scheme: 'http', host: 'r3.example.com', base: 'http://r3.example.com', version: 'v1', versionExplicit: true, insecure: true }
    ])
    expect(s.registryApiVersions).toEqual(['v1', 'v2'])
    expect(s.sourceRegistry).toEqual({ uri: 'https://source.example.com', host: 'source.example.com', base: 'https://source.example.com', insecure: false })
    expect(s.pulp).toEqual({ registryName: 'pulp-env', secret: 'pulp-sec' })
    expect(s.pulpSync).toEqual({ registryName: 'pulp-env', secret: 'pulp-sec' })
  })

  it('keeps a separate Pulp sync environment and secret', () => {
    const s = settings({ 'pulp-registry-name': 'p1', 'pulp-secret': 's1', 'pulp-sync-registry-name': 'p2', 'pulp-sync-secret': 's2' })
    expect(s.pulp).toEqual({ registryName: 'p1', secret: 's1' })
    expect(s.pulpSync).toEqual({ registryName: 'p2', secret: 's2' })
  })

  it('reads namespace and server from the kubeconfig: input path, inline YAML, $KUBECONFIG, ~/.kube/config', () => {
    const files = { '/checkout/kube/config': KUBECONFIG, '/env/kubeconfig': KUBECONFIG, '/home/runner/.kube/config': KUBECONFIG }
    const noServer = { 'openshift-server': '', 'openshift-token': '', namespace: '' }
    const fromPath = settings({ ...noServer, kubeconfig: 'kube/config' }, CONTEXT, environment(files))
    expect(fromPath.namespace).toBe('from-kubeconfig')
    expect(fromPath.connection).toMatchObject({ server: 'https://api.cluster.example.com:6443', kubeconfig: { path: '/checkout/kube/config' } })
    expect(settings({ ...noServer, kubeconfig: KUBECONFIG }).connection.kubeconfig).toEqual({ inline: KUBECONFIG.trim() })
    expect(settings(noServer, CONTEXT, environment(files, { KUBECONFIG: '/missing:/env/kubeconfig' })).connection.kubeconfig).toEqual({ path: '/env/kubeconfig', text: KUBECONFIG })
    expect(settings(noServer, CONTEXT, environment(files)).connection.kubeconfig).toEqual({ path: '/home/runner/.kube/config', text: KUBECONFIG })
    expect(settings({ ...noServer, namespace: 'explicit' }, CONTEXT, environment(files)).namespace).toBe('explicit')
  })

  it("in a pod with only its service account, the namespace is the service account's, and a notice says so", () => {
    const files = { '/var/run/secrets/kubernetes.io/serviceaccount/namespace': 'ci-builds\n' }
    const pod = environment(files, { KUBERNETES_SERVICE_HOST: '10.0.0.1' })
    const none = { 'openshift-server': '', 'openshift-token': '', namespace: '' }
    const result = parseSettings(none, CONTEXT, pod)
    expect(result.ok && result.settings.namespace).toBe('ci-builds')
    expect(result.ok && result.notices).toEqual(["namespace: ci-builds, the namespace of this pod's service account"])
    expect(settings({ ...none, namespace: 'explicit' }, CONTEXT, pod).namespace).toBe('explicit')
    // with other credentials, the pod's namespace is not theirs
    expect(problems({ ...none, 'openshift-server': 'https://api.example.com:6443', 'openshift-token': 't' }, CONTEXT, pod)).toEqual([expect.stringMatching(/^Input namespace: \(empty\) is not valid/)])
  })

  it('returns the credentials of a kubeconfig so that they are masked', () => {
    const result = parseSettings({ namespace: 'n', kubeconfig: KUBECONFIG }, CONTEXT, environment())
    expect(result.secrets).toEqual(['abc'])
    const withProvider = `${KUBECONFIG}- name: oidc
  user:
    auth-provider:
      name: oidc
      config: {client-id: public-id, client-secret: cs-123, id-token: idt-456, refresh-token: rt-789}
`
    expect(parseSettings({ namespace: 'n', kubeconfig: withProvider }, CONTEXT, environment()).secrets.sort()).toEqual(['abc', 'cs-123', 'idt-456', 'rt-789'])
  })

  it('reads the CA from PEM text or a file', () => {
    expect(settings({ 'certificate-authority': PEM }).connection.certificateAuthority).toBe(PEM.trim())
    expect(settings({ 'certificate-authority': 'ca.pem' }, CONTEXT, environment({ '/checkout/ca.pem': PEM })).connection.certificateAuthority).toBe(PEM)
  })

  it('dry-run needs no server and no credentials', () => {
    const s = settings({ 'dry-run': 'true', 'openshift-server': '', 'openshift-token': '' })
    expect(s.connection).toEqual({ insecureSkipTlsVerify: false })
  })
})

describe('SPEC §2 invalid values: each names the input, the value and what is accepted', () => {
  it.each<[string, RawInputs, RegExp]>([
    [
      'malformed registry URI',
      { 'registry-uri': 'registry.example.com/foo' },
      /^Input registry-uri: 'registry\.example\.com\/foo' is not valid: .*Accepted: \[http\[s\]:\/\/\]host\[:port\]\[\/v1\|\/v2\]$/
    ],
    ['registry URI with another scheme', { 'registry-uri': 'ftp://registry.example.com' }, /registry-uri: 'ftp:\/\/registry\.example\.com'.*only http:\/\/ and https:\/\//],
    ['registry API version suffix v3', { 'registry-uri': 'registry.example.com/v3' }, /registry-uri: 'registry\.example\.com\/v3'.*unknown registry API version \/v3/],
    ['the same registry host twice', { 'registry-uri': 'r.example.com/v1,https://r.example.com/v2' }, /registry-uri: 'https:\/\/r\.example\.com\/v2' names host r\.example\.com again/],
    ['unknown API version', { 'registry-api-versions': 'v1,v3' }, /^Input registry-api-versions: 'v3' is not valid\. Accepted: v1, v2, or both/],
    ['an empty list item', { 'registry-api-versions': 'v1,,v2' }, /^Input registry-api-versions: "v1,,v2" has an empty item/],
    [
      'more registry secrets than registries',
      { 'registry-uri': 'r.example.com', 'registry-secret': 'a,b' },
      /^Input registry-secret: 2 secrets \(a, b\) for 1 registry in registry-uri\. Accepted: at most one secret per registry-uri entry/
    ],
    ['registry secrets without registries', { 'registry-secret': 'a' }, /registry-secret: 1 secrets \(a\) for 0 registries/],
    ['an invalid secret name', { 'registry-uri': 'r.example.com', 'registry-secret': 'Bad_Secret' }, /registry-secret: 'Bad_Secret' is not valid/],
    ['a tag ref with no git-branch', {}, /^Input git-branch: \(empty\) is not valid, and GITHUB_REF 'refs\/tags\/v1\.0' is not a branch/],
    ['an invalid branch', { 'git-branch': 'bad..branch' }, /git-branch: 'bad\.\.branch' is not valid/],
    ['an invalid namespace name', { namespace: 'My_Project' }, /^Input namespace: 'My_Project' is not valid\. Accepted: a DNS-1123 label/],
    ['a namespace that is too long', { namespace: 'a'.repeat(64) }, /namespace: 'a{64}' is not valid/],
    [
      'build-image together with build-imagestream',
      { 'build-image': 'b:1', 'build-imagestream': 'b:2' },
      /^Inputs build-image \('b:1'\) and build-imagestream \('b:2'\) are both set\. Accepted: only one of them$/
    ],
    ['an invalid build-imagestream', { 'build-imagestream': 'buildroot' }, /build-imagestream: 'buildroot' is not valid\. Accepted: an ImageStreamTag name:tag/],
    ['an invalid build-image', { 'build-image': 'Build Root' }, /build-image: 'Build Root' is not valid/],
    ['a short commit', { 'git-commit': 'abc123' }, /^Input git-commit: 'abc123' is not valid\. Accepted: a full 40-hex commit id$/],
    ['a bad boolean', { 'follow-logs': 'yes' }, /^Input follow-logs: 'yes' is not valid\. Accepted: true or false$/],
    ['on-running-build', { 'on-running-build': 'queue' }, /on-running-build: 'queue' is not valid\. Accepted: wait, fail or cancel/],
    ['timeout-minutes', { 'timeout-minutes': '0' }, /timeout-minutes: '0' is not valid/],
    ['timeout-minutes not a number', { 'timeout-minutes': '1h' }, /timeout-minutes: '1h' is not valid/],
    ['a server that is not a URL', { 'openshift-server': 'api.example.com' }, /openshift-server: 'api\.example\.com' is not valid/],
    ['a Dockerfile outside the checkout', { dockerfile: '../Dockerfile' }, /dockerfile: '\.\.\/Dockerfile' is not valid\. Accepted: a path relative to the checkout/],
    ['an absolute repo config path', { 'repo-config-file': '/etc/osbs' }, /repo-config-file: '\/etc\/osbs' is not valid/],
    ['an invalid user', { user: 'Team Name' }, /user: 'Team Name' is not valid/],
    ['an invalid build-config-name', { 'build-config-name': 'Not_A_Label' }, /build-config-name: 'Not_A_Label' is not valid/],
    ['a Pulp secret without a Pulp environment', { 'pulp-secret': 'ps' }, /pulp-secret: 'ps' is set but no pulp-registry-name or pulp-sync-registry-name/],
    ['a missing kubeconfig file', { kubeconfig: 'nope/config' }, /kubeconfig: 'nope\/config' is not valid/],
    ['a missing CA file', { 'certificate-authority': 'ca.pem' }, /certificate-authority: 'ca\.pem' is not valid/],
    ['a target with spaces', { target: 'a b' }, /target: 'a b' is not valid/],
    ['a token together with oidc-audience', { 'oidc-audience': 'openshift' }, /^Inputs openshift-token and oidc-audience \('openshift'\) are both set/]
  ])('%s', (_, raw, message) => {
    const context = _ === 'a tag ref with no git-branch' ? { ...CONTEXT, ref: 'refs/tags/v1.0' } : CONTEXT
    const found = problems(raw, context)
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(message)
  })

  it('a pull-request ref without git-branch is an error', () => {
    expect(problems({}, { ...CONTEXT, ref: 'refs/pull/7/merge' })).toEqual([expect.stringMatching(/git-branch.*'refs\/pull\/7\/merge' is not a branch/)])
  })

  it('no namespace anywhere is an error', () => {
    expect(problems({ namespace: '' })).toEqual([expect.stringMatching(/^Input namespace: \(empty\) is not valid, and no kubeconfig context names a namespace/)])
  })

  it('without dry-run, a server and credentials are required', () => {
    expect(problems({ 'openshift-server': '', 'openshift-token': '' })).toEqual([
      expect.stringMatching(/^Input openshift-server: \(empty\)/),
      expect.stringMatching(/^Input openshift-token: \(empty\) is not valid: no credentials/)
    ])
  })

  it('reports every problem, not only the first', () => {
    const found = problems({ namespace: 'Bad', 'registry-uri': 'x/v9', 'registry-api-versions': 'v4', 'dry-run': 'sure' })
    expect(found.map((m) => m.split(':')[0])).toEqual(['Input dry-run', 'Input namespace', 'Input registry-uri', 'Input registry-api-versions'])
  })

  it('never puts the token in a message', () => {
    const found = problems({ 'openshift-token': 'sha256~topsecret', namespace: 'Bad' })
    expect(found.join('\n')).not.toContain('topsecret')
  })
})
