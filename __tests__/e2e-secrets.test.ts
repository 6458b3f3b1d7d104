/**
 * No credential in any message: the bundled action, with step debugging on (ACTIONS_STEP_DEBUG=true,
 * RUNNER_DEBUG=1), in runs that succeed and runs that fail in every way a credential could leak (a kubeconfig
 * that does not parse, a server URL with user info, a token with a line break, a wrong token, an unreachable
 * server, a dry run). Every output, the summary, the state file, stdout and stderr are searched for every
 * credential (and each line of a multi-line one); the only place a credential may appear is an `::add-mask::`
 * line, which the runner consumes, and that line must come before any other line of the run that could print it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { runAction, type ActionRun } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'

const DEBUG = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }
const local = useLocalOpenShift({ logWaitSeconds: 1 })
const tmp = mkdtempSync(path.join(os.tmpdir(), 'osbs-secrets-'))
let repo: Checkout
/** A port nothing listens on (connections are refused). */
let closedPort = 0

beforeAll(async () => {
  repo = makeRepo(path.join(tmp, 'repo'), { Dockerfile: dockerfile('fedora:latest', 'acme/secrets', '1.0') })
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closedPort = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Users that are not the current one, with every kind of credential a kubeconfig holds. */
const OTHER_USERS = `- name: basic
  user:
    username: admin
    password: "other-password-0123"
- name: cert
  user:
    client-certificate-data: Y2VydA==
    client-key-data: b3RoZXIta2V5LWRhdGEtMDEyMw==
- name: provider
  user:
    auth-provider:
      name: oidc
      config: {client-id: public-id, client-secret: other-client-secret-0123, id-token: other-id-token-0123, refresh-token: other-refresh-0123, access-token: other-access-0123}
`
const OTHER_CREDENTIALS = ['other-password-0123', 'b3RoZXIta2V5LWRhdGEtMDEyMw==', 'other-client-secret-0123', 'other-id-token-0123', 'other-refresh-0123', 'other-access-0123']

function kubeconfig(server: string, token: string, extraUsers = ''): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: '${server}'}
contexts:
- name: x
  context: {cluster: c, user: u, namespace: ${local.emulator.namespace}}
current-context: x
users:
- name: u
  user:
    token: "${token}"
${extraUsers}`
}

/** A workflow command's value as the runner reads it (`%0A`, `%0D`, `%25`). */
function unescapeCommand(value: string): string {
  return value.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}

/** Each credential and each of its lines: none may appear outside `::add-mask::`, each must be masked before any other output. */
function expectHidden(run: ActionRun, credentials: string[]): void {
  const parts = [...new Set(credentials.flatMap((c) => [c, ...c.split('\n').map((l) => l.trim())]).filter((p) => p.length > 0))]
  const lines = run.stdout.split('\n')
  const readable = [
    ['stdout', lines.filter((l) => !l.startsWith('::add-mask::')).join('\n')],
    ['stderr', run.stderr],
    ['summary', run.summary],
    ['outputs', JSON.stringify(run.outputs)],
    ['state', JSON.stringify(run.state)]
  ] as const
  for (const part of parts) for (const [where, text] of readable) expect(`${where}: ${text.includes(part) ? part : 'clean'}`).toBe(`${where}: clean`)
  // masked before the first line that is not a mask
  const firstOther = lines.findIndex((l) => l !== '' && !l.startsWith('::add-mask::'))
  const masks = new Set(lines.slice(0, firstOther < 0 ? lines.length : firstOther).map((l) => unescapeCommand(l.slice('::add-mask::'.length))))
  for (const part of parts) expect(`${part}: ${masks.has(part) ? 'masked first' : 'not masked first'}`).toBe(`${part}: masked first`)
}

async function run(name: string, inputs: Record<string, string>, files: Record<string, string> = {}): Promise<ActionRun> {
  repo = commitFiles(repo, { NOTES: name, ...files }, name)
  const result = await runAction({ checkout: repo, repository: 'acme/secrets', inputs: { 'registry-uri': 'registry.example.com/v2', ...inputs }, env: DEBUG })
  rmSync(result.dir, { recursive: true, force: true })
  return result
}

describe('no credential in any output, with step debugging on', () => {
  it('a build with openshift-token: the token is masked first and nowhere else', async () => {
    const r = await run('token', local.inputs())
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('::debug::')
    expectHidden(r, [local.emulator.token])
  })

  it('a build with a kubeconfig file that also holds other users: every credential of the file is masked', async () => {
    const r = await run('kubeconfig', { kubeconfig: 'kube/config' }, { 'kube/config': kubeconfig(local.emulator.url, local.emulator.token, OTHER_USERS) })
    expect(r.code).toBe(0)
    expect(r.outputs['build-status']).toBe('Complete')
    expectHidden(r, [local.emulator.token, ...OTHER_CREDENTIALS])
  })

  it('case 1: a kubeconfig that does not parse, the mistake next to the password and the token', async () => {
    const text = kubeconfig(local.emulator.url, 'sha256~broken-file-token-0123456789ab', '- name: basic\n  user:\n    username: "kubeadmin"\n    password: "Sup3rS3cretPassw0rd"\n  : [oops\n')
    const r = await run('broken kubeconfig', { kubeconfig: 'kube/broken' }, { 'kube/broken': text })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error::Input kubeconfig: 'kube\/broken' cannot be read as a kubeconfig \(line \d+, column \d+: [^)]+\)/)
    expectHidden(r, ['sha256~broken-file-token-0123456789ab', 'Sup3rS3cretPassw0rd'])
  })

  it('case 1: the same as inline YAML', async () => {
    const text = kubeconfig(local.emulator.url, 'sha256~broken-inline-token-0123456789', '- name: basic\n  user:\n    password: "inline-Passw0rd-0123"\n  : [oops\n')
    const r = await run('broken inline kubeconfig', { kubeconfig: text })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error::Input kubeconfig: the inline kubeconfig cannot be read as a kubeconfig \(line \d+, column \d+/)
    expectHidden(r, ['sha256~broken-inline-token-0123456789', 'inline-Passw0rd-0123'])
  })

  it('case 2: openshift-server with user info is refused without its password', async () => {
    const r = await run('server user info', { ...local.inputs(), 'openshift-server': `http://admin:url-Passw0rd-0123@127.0.0.1:${closedPort}` })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`::error::Input openshift-server: 'http://***@127.0.0.1:${closedPort}' is not valid: it has user info`)
    expectHidden(r, ['url-Passw0rd-0123', 'admin:url-Passw0rd-0123', local.emulator.token])
  })

  it('case 3: a token with a line break is refused without quoting it', async () => {
    const token = 'sha256~1ed5c0ffee0123456789abcdef\nX-Evil: 1'
    const r = await run('token line break', { ...local.inputs(), 'openshift-token': token })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('::error::Input openshift-token: it has a line break at character 34 (the token is not shown)')
    expectHidden(r, [token])
  })

  it('a kubeconfig token with a line break is refused too', async () => {
    const text = kubeconfig(local.emulator.url, 'x').replace('    token: "x"', '    token: |\n      kc-broken-line-token-0123\n      X-Evil: kc-evil-0123')
    const r = await run('kubeconfig token line break', { kubeconfig: 'kube/lines' }, { 'kube/lines': text })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("user 'u' has a token with a line break")
    expectHidden(r, ['kc-broken-line-token-0123', 'X-Evil: kc-evil-0123'])
  })

  it('a wrong token in a kubeconfig: 401, and the token shows nowhere', async () => {
    const r = await run('wrong token', { kubeconfig: 'kube/wrong' }, { 'kube/wrong': kubeconfig(local.emulator.url, 'sha256~wrong-kc-token-0123456789') })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error::GET \/apis\/build\.openshift\.io\/v1 failed: 401 Unauthorized/)
    expectHidden(r, ['sha256~wrong-kc-token-0123456789'])
  })

  it('an unreachable server: the error names the server, not the token', async () => {
    const r = await run('unreachable', { ...local.inputs(), 'openshift-server': `http://127.0.0.1:${closedPort}`, 'openshift-token': 'sha256~unreachable-token-0123456789' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`could not reach http://127.0.0.1:${closedPort}`)
    expectHidden(r, ['sha256~unreachable-token-0123456789'])
  })

  it('a dry run with a token and a kubeconfig server with user info in another cluster entry', async () => {
    const r = await run('dry run', { ...local.inputs(), 'dry-run': 'true', 'openshift-token': 'sha256~dry-run-token-0123456789', 'git-uri': 'ssh://git@github.com/acme/secrets.git' })
    expect(r.code).toBe(0)
    expectHidden(r, ['sha256~dry-run-token-0123456789'])
  })

  it('a git-uri and a koji-hub with passwords are refused, the passwords masked', async () => {
    const r = await run('url passwords', {
      ...local.inputs(),
      'git-uri': 'https://x-access-token:ghp_gitPassw0rd0123@github.com/acme/secrets.git',
      'koji-hub': 'https://koji:kojiPassw0rd0123@koji.example.com/kojihub'
    })
    expect(r.code).toBe(1)
    expectHidden(r, ['ghp_gitPassw0rd0123', 'kojiPassw0rd0123'])
  })
})
