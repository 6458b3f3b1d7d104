/**
 * The rules behind "no credential in any message", "files read only inside the workspace" and "image tags
 * checked before anything is written", one by one with real values.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { credentialsInText, maskValues, redact, urlCredentials, withoutUserInfo } from '../src/shared/mask.js'
import { readKubeconfigText, tokenProblem } from '../src/cluster/kubeconfig-text.js'
import { checkServerUrl } from '../src/cluster/server-url.js'
import { decodeUtf8, firstInvalidUtf8, readCheckoutFile } from '../src/checkout/workspace-files.js'
import { isImageReference, isTag, tagProblem } from '../src/naming/image-reference.js'
import { makePlan } from '../__fixtures__/dry-run/settings.js'
import { ProblemsError } from '../src/shared/errors.js'

describe('credentials found in a kubeconfig text, whether or not it parses', () => {
  it('plain, quoted, flow, JSON, block and multi-line quoted values of every credential key', () => {
    const text = [
      'users:',
      '- name: a',
      '  user:',
      '    token: plain-token-1 # a comment',
      '    password: "quoted \\" pass"',
      "    client-key-data: 'single''quoted'",
      '- name: b',
      '  user: {token: flow-token-2, username: admin}',
      '- {"name": "c", "user": {"token": "json-token-3"}}',
      '- name: d',
      '  user:',
      '    token: |',
      '      block-line-1',
      '      block-line-2',
      '    auth-provider:',
      '      config:',
      '        id-token: "starts here',
      '          and ends here"',
      '        refresh-token: rt-4',
      '  : [oops'
    ].join('\n')
    expect(credentialsInText(text)).toEqual([
      'plain-token-1',
      'quoted \\" pass',
      "single''quoted",
      'flow-token-2',
      'json-token-3',
      '      block-line-1\n      block-line-2',
      'starts here\n          and ends here',
      'rt-4'
    ])
  })

  it('does not take keys that only end like a credential key, or a username', () => {
    expect(credentialsInText('    tokenFile: /x\n    username: admin\n    my-token: no\n    token-file: /t')).toEqual([])
  })

  it('each line of a multi-line value is masked on its own (the runner masks line by line)', () => {
    expect(maskValues('  line-1\n  line-2  ')).toEqual(['line-1\n  line-2', 'line-1', 'line-2'])
  })

  it("a URL's user info and its password, also percent-decoded", () => {
    expect(urlCredentials('https://user:p%40ss@host:1/x and ssh://git@github.com/o/r')).toEqual(['user:p%40ss', 'p%40ss', 'p@ss'])
    expect(withoutUserInfo('https://user:pw@host:1/x')).toBe('https://***@host:1/x')
    expect(redact('Bearer abc\ndef failed; abc', ['abc\ndef'])).toBe('Bearer *** failed; ***')
  })
})

describe('a kubeconfig is reported by position, never quoted', () => {
  const broken = 'users:\n- name: u\n  user:\n    username: "kubeadmin"\n    password: "Sup3rS3cretPassw0rd"\n  : [oops\n'
  it('a YAML mistake: line, column and what the parser expected; the password is found for masking', () => {
    const read = readKubeconfigText(broken)
    expect(read).toEqual({ ok: false, reason: 'line 7, column 1: deficient indentation', secrets: ['Sup3rS3cretPassw0rd'] })
  })

  it('names and tags in a parser message are taken out', () => {
    expect(readKubeconfigText('users:\n- name: u\n  user: {token: *tok-secret-alias}\n')).toMatchObject({ ok: false, reason: 'line 3, column 18: unidentified alias …' })
    expect(readKubeconfigText('a: !<tag:secret> b')).toMatchObject({ ok: false, reason: 'line 1, column 4: unknown scalar tag …' })
  })

  it("client-node's own checks name the entry; a server with user info and a token on two lines are refused", () => {
    expect(readKubeconfigText('clusters:\n- name: c\n  cluster: {}\n')).toMatchObject({ ok: false, reason: 'clusters[0].cluster.server is missing' })
    const withUser = (user: string, server = 'https://h:1') =>
      `clusters:\n- name: c\n  cluster: {server: '${server}'}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\nusers:\n- name: u\n  user:\n${user}\n`
    const userInfo = readKubeconfigText(withUser('    token: t0123', 'https://a:server-pw@h:1'))
    expect(userInfo).toMatchObject({ ok: false, reason: expect.stringMatching(/^the server of the current context is not valid: it has user info/) })
    expect(userInfo.secrets).toEqual(expect.arrayContaining(['t0123', 'a:server-pw', 'server-pw']))
    const twoLines = readKubeconfigText(withUser('    token: |\n      one\n      two'))
    expect(twoLines).toMatchObject({ ok: false, reason: expect.stringMatching(/^user 'u' has a token with a line break/) })
    expect(twoLines.secrets).toEqual(expect.arrayContaining(['one', 'two']))
    expect(readKubeconfigText(withUser('    token: fine-token'))).toMatchObject({ ok: true, server: 'https://h:1' })
  })

  it('a token with a line break, a space or a control character is refused by position', () => {
    expect(tokenProblem('abc\ndef')).toBe('it has a line break at character 4 (the token is not shown)')
    expect(tokenProblem('ab c')).toBe('it has a space at character 3 (the token is not shown)')
    expect(tokenProblem('ab\x01')).toBe('it has a control character at character 3 (the token is not shown)')
    expect(tokenProblem('sha256~Abc-_.+/=')).toBeUndefined()
  })
})

describe('openshift-server: scheme, host and port only', () => {
  it.each([
    ['https://api.example.com:6443', { url: 'https://api.example.com:6443' }],
    ['https://api.example.com:6443/', { url: 'https://api.example.com:6443' }],
    ['http://[::1]:8080', { url: 'http://[::1]:8080' }],
    ['https://u:p@h:1', { reason: expect.stringMatching(/^it has user info/) }],
    ['https://u@h:1', { reason: expect.stringMatching(/^it has user info/) }],
    ['https://h:1/api', { reason: 'it has a path (/api); give scheme, host and port only' }],
    ['https://h:1?x', { reason: expect.stringMatching(/^it has a query/) }],
    ['https://h:1#x', { reason: expect.stringMatching(/^it has a fragment/) }],
    ['ftp://h', { reason: 'the scheme ftp: is not http or https' }],
    ['h:1', { reason: 'it does not start with https:// (or http://)' }],
    ['https://h:70000', { reason: 'it is not a URL' }]
  ])('%s', (value, expected) => {
    expect(checkServerUrl(value)).toEqual(expected)
  })

  it('a kubeconfig server may have a path prefix, never user info', () => {
    expect(checkServerUrl('https://gw.example.com/k8s/clusters/c-1', { allowPath: true })).toEqual({ url: 'https://gw.example.com/k8s/clusters/c-1' })
    expect(checkServerUrl('https://a:b@gw.example.com/k8s', { allowPath: true })).toHaveProperty('reason')
  })
})

describe('files of the checkout: real path inside the workspace, strict UTF-8', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'osbs-workspace-files-'))
  const ws = path.join(root, 'ws')
  mkdirSync(path.join(ws, 'docker'), { recursive: true })
  writeFileSync(path.join(ws, 'docker', 'Dockerfile'), 'FROM x\n')
  writeFileSync(path.join(root, 'secret'), 'outside\n')
  symlinkSync('docker/Dockerfile', path.join(ws, 'inside.link'))
  symlinkSync('../secret', path.join(ws, 'outside.link'))
  symlinkSync(root, path.join(ws, 'up'))
  symlinkSync('missing', path.join(ws, 'dangling'))

  it('a link inside the checkout to a file inside it is followed', () => {
    expect(readCheckoutFile(ws, 'inside.link', 'dockerfile')).toEqual({ kind: 'file', bytes: Buffer.from('FROM x\n') })
    expect(readCheckoutFile(ws, 'docker/Dockerfile', 'dockerfile')).toEqual({ kind: 'file', bytes: Buffer.from('FROM x\n') })
  })

  it('a link out of the checkout, or under a directory link out of it, is refused before reading; so is a dangling link', () => {
    expect(readCheckoutFile(ws, 'outside.link', 'dockerfile')).toEqual({
      kind: 'refused',
      message: `Input dockerfile: 'outside.link' leads outside the checkout through a symbolic link (to ${path.join(root, 'secret')}); the action reads no file outside it. Accepted: a file inside the checkout (GITHUB_WORKSPACE), or a symbolic link to one`
    })
    expect(readCheckoutFile(ws, 'up/secret', 'dockerfile')).toMatchObject({ kind: 'refused', message: expect.stringContaining("'up/secret' leads outside the checkout") })
    expect(readCheckoutFile(ws, 'up/none', 'dockerfile')).toMatchObject({ kind: 'refused', message: expect.stringContaining("'up/none' is under a symbolic link that leads outside") })
    expect(readCheckoutFile(ws, 'dangling', 'dockerfile')).toMatchObject({ kind: 'refused', message: expect.stringContaining('is a symbolic link to a file that does not exist') })
    expect(readCheckoutFile(ws, 'none', 'dockerfile')).toEqual({ kind: 'missing' })
    expect(readCheckoutFile(ws, 'docker', 'dockerfile')).toMatchObject({ kind: 'refused', message: expect.stringContaining('is a directory') })
  })

  it('UTF-8 strictly: the line and column of the first bad byte', () => {
    expect(decodeUtf8(Buffer.from('a\nb\u00e9\n'))).toEqual({ text: 'a\nb\u00e9\n' })
    expect(decodeUtf8(Buffer.from('a\nbc\xe9d\n', 'latin1'))).toEqual({ line: 2, column: 3 })
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0x80]))).toBe(0) // overlong
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1) // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0xf0, 0x9f, 0x98]))).toBe(0) // cut short
    expect(firstInvalidUtf8(Buffer.from('😀 ok'))).toBe(-1)
  })

  afterAll(() => rmSync(root, { recursive: true, force: true }))
})

describe('image references and the tags the build pushes', () => {
  it('the tag grammar', () => {
    expect(['1.0', '1.0-1', '_x', 'A'.repeat(128)].every(isTag)).toBe(true)
    expect(['', '.1', '-1', '1.0 beta', '1/0', 'A'.repeat(129), '1.0\ufffd'].some(isTag)).toBe(false)
    expect(tagProblem('1.0 beta')).toBe('it contains a space')
    expect(tagProblem('9'.repeat(200))).toBe('it is 200 characters long (at most 128)')
  })

  it('references: host, path components, tag, digest, total length', () => {
    for (const ok of ['buildroot:latest', 'registry.example.com:5000/a/b:1', 'localhost/x', 'a__b/c-d.e', `r.io/x@sha256:${'a'.repeat(64)}`]) expect(isImageReference(ok)).toBe(true)
    for (const bad of ['Buildroot', 'a//b', 'a:-x', 'a/b:', `r.io/${'a'.repeat(251)}`, 'a b']) expect(isImageReference(bad)).toBe(false)
  })

  const plan =
    (labels: string, raw: Record<string, string> = {}) =>
    () =>
      makePlan({ 'registry-uri': 'registry.example.com/v2', ...raw }, { dockerfile: `FROM scratch\nLABEL ${labels}\n` })
  const problemsOf = (f: () => unknown): string[] => {
    try {
      f()
    } catch (error) {
      if (error instanceof ProblemsError) return error.problems.map((p) => `${p.file ?? p.input}:${p.line ?? ''} ${p.message}`)
      throw error
    }
    return []
  }

  it('version, version-release and the name with its registry host are checked at the label line', () => {
    expect(problemsOf(plan('name="acme/app" version="1.0 beta"'))).toEqual([
      'Dockerfile:2 Dockerfile Dockerfile:2: label version="1.0 beta" cannot be an image tag (acme/app:1.0 beta): it contains a space; a tag is 1 to 128 characters: letters, digits, _ . and -, not starting with . or -'
    ])
    expect(problemsOf(plan('name="acme/app" version="1.0" release="a/b"', {}))).toEqual([
      'Dockerfile:2 Dockerfile Dockerfile:2: label release="a/b" with version="1.0" cannot be an image tag (acme/app:1.0-a/b): it contains "/"; a tag is 1 to 128 characters: letters, digits, _ . and -, not starting with . or -'
    ])
    expect(problemsOf(plan(`name="acme/app" version="${'1'.repeat(127)}"`))[0]).toMatch(
      /is 127 characters: the tag acme\/app:1{127}-<release> \(the release bump_release adds\) would be longer than 128/
    )
    expect(problemsOf(plan(`name="acme/app" version="${'1'.repeat(126)}"`))).toEqual([])
    expect(problemsOf(plan(`name="acme/${'a'.repeat(229)}" version="1"`))).toEqual([])
    expect(problemsOf(plan(`name="acme/${'a'.repeat(230)}" version="1"`))[0]).toMatch(/of 256 characters; a repository name with its registry host is at most 255/)
  })
})
