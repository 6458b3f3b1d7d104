/** source-secret (issue 22, part 2): the input, spec.source.sourceSecret, git's environment configuration, the check, the clone failure's message. */
import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makePlan, makeSettings } from '../__fixtures__/dry-run/settings.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { cloneFailureMessage } from '../src/flow/clone-failure.js'
import { mergeBuildConfig } from '../src/flow/buildconfig.js'
import { parseSettings } from '../src/inputs/parse.js'
import { CREDENTIAL_HELPER, SSH_COMMAND } from '../src/render/source.js'

const envOf = (plan: ReturnType<typeof makePlan>) => plan.buildConfig.spec.strategy.customStrategy.env as { name: string; value: string }[]

describe('the source-secret input', () => {
  it('refuses a name OpenShift cannot have', () => {
    const result = parseSettings(
      { 'openshift-server': 'https://api.example.com:6443', namespace: 'b', 'git-branch': 'main', 'git-commit': 'a'.repeat(40), 'source-secret': 'GitHub_Token' },
      { repository: 'acme/widget' },
      {
        env: {},
        homedir: '/nonexistent',
        cwd: '/checkout',
        readFile: () => null
      }
    )
    expect(result.ok).toBe(false)
    if (!result.ok)
      expect(result.problems.map((p) => p.message)).toContain(
        "Input source-secret: 'GitHub_Token' is not valid. Accepted: an OpenShift secret name (lowercase letters, digits, - and .) holding username and password, or ssh-privatekey"
      )
  })

  it('empty: no sourceSecret, no git configuration, no secret to check', () => {
    const plan = makePlan()
    expect(plan.buildConfig.spec.source).toEqual({ type: 'Git', git: { uri: 'https://github.com/acme/widget.git', ref: 'main' } })
    expect(envOf(plan).map((e) => e.name)).toEqual(['ATOMIC_REACTOR_PLUGINS'])
    expect(plan.secrets.some((s) => s.input === 'source-secret')).toBe(false)
  })
})

describe("spec.source.sourceSecret and the build's git", () => {
  it('an https git-uri: the secret on the source, a credential helper for that origin only, the secret checked last', () => {
    const plan = makePlan({ 'source-secret': 'github-token', 'registry-uri': 'registry.example.com/v2', 'registry-secret': 'push' })
    expect(plan.buildConfig.spec.source).toEqual({ type: 'Git', git: { uri: 'https://github.com/acme/widget.git', ref: 'main' }, sourceSecret: { name: 'github-token' } })
    expect(envOf(plan).slice(1)).toEqual([
      { name: 'GIT_CONFIG_COUNT', value: '1' },
      { name: 'GIT_CONFIG_KEY_0', value: 'credential.https://github.com.helper' },
      { name: 'GIT_CONFIG_VALUE_0', value: CREDENTIAL_HELPER }
    ])
    // not mounted as a plugin secret: OpenShift mounts it itself at /var/run/secrets/openshift.io/source
    expect(plan.buildConfig.spec.strategy.customStrategy.secrets).toEqual([{ secretSource: { name: 'push' }, mountPath: '/var/run/secrets/atomic-reactor/push' }])
    expect(plan.secrets.map((s) => [s.name, s.input])).toEqual([
      ['push', 'registry-secret'],
      ['github-token', 'source-secret']
    ])
  })

  it("an ssh git-uri: core.sshCommand with the secret's key and known hosts", () => {
    const plan = makePlan({ 'source-secret': 'deploy-key', 'git-uri': 'git@github.com:acme/widget.git' })
    expect(envOf(plan).slice(1)).toEqual([
      { name: 'GIT_CONFIG_COUNT', value: '1' },
      { name: 'GIT_CONFIG_KEY_0', value: 'core.sshCommand' },
      { name: 'GIT_CONFIG_VALUE_0', value: SSH_COMMAND }
    ])
  })

  it('an update takes the source secret away when the input is gone', () => {
    const withSecret = makePlan({ 'source-secret': 'github-token' }).buildConfig
    const without = makePlan().buildConfig
    const merged = mergeBuildConfig({ ...withSecret, metadata: { ...withSecret.metadata, resourceVersion: '5' } } as any, without)
    expect(merged.spec.source).toEqual({ type: 'Git', git: { uri: 'https://github.com/acme/widget.git', ref: 'main' } })
  })
})

describe('the credential helper, run by git', () => {
  const dir = makeTempDir('osbs-credential-')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** `git credential fill` for a URL, with the build pod's environment: the rendered configuration and SOURCE_SECRET_PATH. */
  function fill(url: string): string {
    const secret = path.join(dir, 'source')
    mkdirSync(secret, { recursive: true })
    writeFileSync(path.join(secret, 'username'), 'x-access-token')
    writeFileSync(path.join(secret, 'password'), 'ghp_example0123')
    const env = Object.fromEntries(
      envOf(makePlan({ 'source-secret': 'github-token' }))
        .slice(1)
        .map((e) => [e.name, e.value])
    )
    const u = new URL(url)
    return execFileSync('git', ['credential', 'fill'], {
      input: `protocol=${u.protocol.slice(0, -1)}\nhost=${u.host}\npath=${u.pathname.slice(1)}\n\n`,
      env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', SOURCE_SECRET_PATH: secret, ...env },
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe']
    })
  }

  it("gives the secret's username and password for the git-uri's origin", () => {
    expect(fill('https://github.com/acme/widget.git')).toContain('username=x-access-token\npassword=ghp_example0123\n')
  })

  it('gives nothing to another host', () => {
    expect(() => fill('https://example.com/acme/widget.git')).toThrow(/could not read Username/)
  })
})

describe('a build that could not clone', () => {
  const plan = makePlan()
  const withSecret = makePlan({ 'source-secret': 'github-token' })

  it('without source-secret: names the repository, what git said, and the input to set', () => {
    const log = "Cloning into '/tmp/x/widget'...\nfatal: could not read Username for 'https://github.com': No such device or address\n"
    expect(cloneFailureMessage(plan, log)).toBe(
      "The build could not clone https://github.com/acme/widget.git: the repository asks for credentials (git: fatal: could not read Username for 'https://github.com': No such device or address). " +
        'For a private repository, create a secret with them in namespace builds and set input source-secret to its name (see "Private repositories" in the README)'
    )
  })

  it('with source-secret: the credentials refused, and what the secret must hold', () => {
    expect(cloneFailureMessage(withSecret, "remote: Invalid username or password.\nfatal: Authentication failed for 'https://github.com/acme/widget.git/'\n")).toMatch(
      /^The build could not clone https:\/\/github\.com\/acme\/widget\.git with the credentials of secret "github-token" \(input source-secret\) \(git: fatal: Authentication failed for 'https:\/\/github\.com\/acme\/widget\.git\/'\)\. Check that the secret holds username and password/
    )
    expect(cloneFailureMessage(withSecret, 'git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.')).toContain('(git: Permission denied (publickey).)')
  })

  it('another failure: nothing to add', () => {
    expect(cloneFailureMessage(plan, "IOError: Dockerfile '/tmp/x/Dockerfile' doesn't exist.")).toBeUndefined()
    expect(makeSettings().sourceSecret).toBeUndefined()
  })
})

describe('a build that could not fetch its source', () => {
  const branch = makePlan()
  const isolated = makePlan({ release: '1.1' })
  const head = 'c'.repeat(40)
  const scratch = {
    ...branch,
    kind: 'scratch' as const,
    settings: {
      ...branch.settings,
      kind: 'scratch' as const,
      git: { ...branch.settings.git, uri: 'https://github.com/alice/widget.git', commit: head },
      pullRequest: { number: 5, event: 'pull_request_target' as const, headSha: head, fork: 'alice/widget' }
    }
  }
  // atomic-reactor 1.6.26.3's clone_git_repo as its log shows it: git's own stderr, then the traceback of the last attempt
  const realLog = (ref: string, lastError: string) =>
    [
      `2026-11-25 04:05:06,789 - atomic_reactor.util - DEBUG - doing a shallow clone '['git', 'clone', '-b', '${ref}', '--depth', '1', 'https://github.com/alice/widget.git', '/tmp/tmpx/widget']'`,
      `warning: Could not find remote branch ${ref} to clone.`,
      `fatal: Remote branch ${ref} not found in upstream origin`,
      `2026-11-25 04:05:07,001 - atomic_reactor.util - WARNING - CalledProcessError()`,
      `2026-11-25 04:05:08,123 - atomic_reactor.util - DEBUG - checking out branch '['git', 'reset', '--hard', '${ref}']'`,
      lastError,
      `CalledProcessError: Command '['git', 'reset', '--hard', '${ref}']' returned non-zero exit status 128`
    ].join('\n')

  it("a pull request's head commit no longer in the head repository: the commit, the repository, and to run again on the current head", () => {
    expect(cloneFailureMessage(scratch, realLog(head, `fatal: Could not parse object '${head}'.`))).toBe(
      `The build could not fetch commit ${head} from https://github.com/alice/widget.git: the repository has no such commit (git: fatal: Could not parse object '${head}'.). ` +
        "The head of pull request #5 is no longer there (pushed over, or its branch or fork deleted) or git-uri names another repository: run the workflow again on the pull request's current head, or correct input git-uri"
    )
  })

  it('an isolated build of a commit the repository does not have, a branch build of a branch it does not have', () => {
    expect(cloneFailureMessage(isolated, `fatal: Could not parse object '${isolated.settings.git.commit}'.`)).toBe(
      `The build could not fetch commit ${isolated.settings.git.commit} from https://github.com/acme/widget.git: the repository has no such commit (git: fatal: Could not parse object '${isolated.settings.git.commit}'.). ` +
        'Push it to https://github.com/acme/widget.git, or correct input git-uri'
    )
    expect(cloneFailureMessage(branch, realLog('main', "fatal: ambiguous argument 'main': unknown revision or path not in the working tree."))).toBe(
      "The build could not fetch branch main from https://github.com/acme/widget.git: the repository has no such branch (git: fatal: ambiguous argument 'main': unknown revision or path not in the working tree.). " +
        'Push it to https://github.com/acme/widget.git, or correct input git-uri'
    )
  })

  it('a repository that cannot be read: the git-uri to check', () => {
    expect(cloneFailureMessage(branch, "fatal: unable to access 'https://github.com/acme/widget.git/': Could not resolve host: github.com")).toBe(
      "The build could not fetch branch main from https://github.com/acme/widget.git: the repository could not be read (git: fatal: unable to access 'https://github.com/acme/widget.git/': Could not resolve host: github.com). " +
        "Check input git-uri: it must be a URL the cluster's builds can clone"
    )
    expect(cloneFailureMessage(scratch, "fatal: '/srv/gone' does not appear to be a git repository\nfatal: Could not read from remote repository.")).toContain(
      "the repository could not be read (git: fatal: '/srv/gone' does not appear to be a git repository)"
    )
  })

  it('the first attempts\' "Remote branch not found" is in every build of a commit: alone it explains nothing', () => {
    const clonedThenFailed =
      realLog(head, `2026-11-25 04:05:09,000 - atomic_reactor.util - INFO - commit ID = ${head}`).split('\n').slice(0, 4).join('\n') + "\nIOError: Dockerfile '/tmp/x/Dockerfile' doesn't exist."
    expect(cloneFailureMessage(scratch, clonedThenFailed)).toBeUndefined()
  })
})
