/**
 * The imitation's plugins that change what goes into the image or who hears of it, each against 1.6.26.3's source:
 * change_from_in_dockerfile, add_dockerfile, add_help (go-md2man for real), distribution_scope,
 * add_yum_repo_by_url + inject_yum_repo (the local OpenShift's yum repository), tag_from_config (the repository's
 * `additional-tags`), sendmail (the local OpenShift's mail server). Simulated builds (the Dockerfile, the log, the
 * annotations, the registry's tags); what the images hold after real builds: real-reactor-plugins.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { MailServer } from '../src/mail/smtp.js'
import { runReactor } from '../src/reactor/index.js'
import { ImageRegistries } from '../src/images/registries.js'
import { withProxy } from '../src/reactor/plugins/pre_add_yum_repo_by_url.js'
import { YumRepos } from '../src/yum/repo-server.js'
import { buildConfig } from '../__fixtures__/build-config.js'
import { buildFrom, FakeHost } from '../__fixtures__/fake-host.js'
import { dockerfile, GitRepo } from '../__fixtures__/git-repo.js'

const REGISTRY = 'registry.example.com:5000'
const repos: GitRepo[] = []
let mail: MailServer
let yum: YumRepos
beforeAll(async () => {
  mail = new MailServer()
  await mail.start()
  yum = new YumRepos()
  await yum.start()
})
afterAll(async () => {
  repos.forEach((r) => r.remove())
  await mail.close()
  await yum.close()
})

interface Extra {
  prebuild?: unknown[]
  postbuild?: unknown[]
  exit?: unknown[]
  labels?: Record<string, string>
  registries?: ImageRegistries
  /** render check_and_set_rebuild and stop_autorebuild_if_disabled */
  trigger?: boolean
  /** called with each log line (e.g. to change the PATH when a plugin starts) */
  onLine?: (line: string) => void
}

async function run(files: Record<string, string>, extra: Extra = {}) {
  const r = new GitRepo('app')
  repos.push(r)
  r.commit(files, 'initial')
  const bc = buildConfig({ name: 'app-main-12345', uri: r.uri, trigger: extra.trigger ?? false, registries: { [REGISTRY]: true } })
  const env = bc.spec.strategy.customStrategy.env[0]
  const plugins = JSON.parse(env.value)
  plugins.prebuild_plugins.push(...(extra.prebuild ?? []))
  plugins.postbuild_plugins.splice(1, 0, ...(extra.postbuild ?? []))
  plugins.exit_plugins.push(...(extra.exit ?? []))
  env.value = JSON.stringify(plugins)
  const host = new FakeHost(buildFrom(bc, 1, { commit: r.head(), labels: extra.labels }), extra.registries ?? new ImageRegistries(), structuredClone(bc))
  host.onLine = extra.onLine
  const result = await runReactor(host)
  const annotations = host.build.metadata.annotations ?? {}
  return { result, host, annotations, lines: host.lines.map((l) => l.replace(/^\S+ \S+ platform:- - /, '')) }
}

const RELEASED = dockerfile({ release: '3' })

describe('change_from_in_dockerfile', () => {
  it("every FROM becomes the pulled base image's id", async () => {
    const { result, annotations, lines } = await run({ Dockerfile: RELEASED }, { prebuild: [{ name: 'change_from_in_dockerfile' }] })
    expect(result.success).toBe(true)
    const id = annotations['base-image-id']!
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(annotations.dockerfile!.split('\n')[0]).toBe(`FROM ${id}`)
    expect(lines).toContain(`atomic_reactor.plugins.change_from_in_dockerfile - DEBUG - using base image 'fedora:latest', id '${id}'`)
    expect(lines).toContain(`atomic_reactor.plugins.change_from_in_dockerfile - INFO - changed FROM: 'FROM fedora:latest' -> 'FROM ${id}'`)
  })
})

describe('add_dockerfile', () => {
  it('ADDs a copy of the Dockerfile as it was then to /root/buildinfo/Dockerfile-<n-v-r>, before the last instruction', async () => {
    const { result, annotations, lines } = await run({ Dockerfile: RELEASED }, { prebuild: [{ name: 'add_dockerfile' }] })
    expect(result.success).toBe(true)
    const df = annotations.dockerfile!.split('\n')
    // add_labels_in_dockerfile's LABEL came last before it
    expect(df[df.length - 3]).toBe('ADD Dockerfile-myproj-app-1.0-3 /root/buildinfo/Dockerfile-myproj-app-1.0-3')
    expect(df[df.length - 2]).toMatch(/^LABEL "build-date"=/)
    expect(lines).toContain('atomic_reactor.plugins.add_dockerfile - INFO - added /root/buildinfo/Dockerfile-myproj-app-1.0-3')
  })
  it('use_final_dockerfile ADDs the Dockerfile itself; nvr names it', async () => {
    const { annotations } = await run({ Dockerfile: RELEASED }, { prebuild: [{ name: 'add_dockerfile', args: { nvr: 'x-1-2', destdir: '/usr/share/buildinfo/', use_final_dockerfile: true } }] })
    expect(annotations.dockerfile).toContain('ADD Dockerfile /usr/share/buildinfo/Dockerfile-x-1-2\n')
  })
})

describe('add_help', () => {
  const help = '% APP(1) Container Image Pages\n% Alice\n% May 2017\n# NAME\napp \\- an application\n\n# DESCRIPTION\nIt runs.\n'
  it("go-md2man makes help.1 of help.md, the Dockerfile ADDs it as /help.1; help_file is the annotation's", async () => {
    const { result, annotations, lines } = await run({ Dockerfile: RELEASED, 'help.md': help }, { prebuild: [{ name: 'add_help' }] })
    expect(result.success).toBe(true)
    const df = annotations.dockerfile!.split('\n')
    expect(df[df.length - 3]).toBe('ADD help.1 /help.1')
    expect(lines).toContainEqual(expect.stringMatching(/^atomic_reactor\.plugins\.add_help - INFO - added \/.*\/help\.1$/))
    expect(annotations.help_file).toBe('"help.md"')
  })
  it('no help file: status 1, help_file null, the Dockerfile unchanged', async () => {
    const { result, annotations, lines } = await run({ Dockerfile: RELEASED }, { prebuild: [{ name: 'add_help' }] })
    expect(result.success).toBe(true)
    expect(annotations.help_file).toBe('null')
    expect(annotations.dockerfile).not.toContain('help.1')
    expect(lines).toContainEqual(expect.stringMatching(/^atomic_reactor\.plugins\.add_help - INFO - File \/.*\/help\.md not found$/))
  })
  it('without go-md2man in the build pod: RuntimeError, as 1.6.26.3 says it (the plugin may fail), no help_file', async () => {
    const path = process.env.PATH
    try {
      const { result, annotations, lines } = await run(
        { Dockerfile: RELEASED, 'help.md': help },
        {
          prebuild: [{ name: 'add_help' }],
          // the clone needs git: the PATH goes when add_help starts
          onLine: (l) => {
            if (l.endsWith("running plugin 'add_help'")) process.env.PATH = '/nonexistent'
            if (l.includes("plugin 'add_help' raised")) process.env.PATH = path
          }
        }
      )
      expect(lines.filter((l) => l.includes('add_help'))).toContain(
        "atomic_reactor.plugin - WARNING - plugin 'add_help' raised an exception: RuntimeError('Help file is available, but go-md2man is not present in a buildroot',)"
      )
      expect(result.success).toBe(true)
      expect(annotations.help_file).toBeUndefined()
    } finally {
      process.env.PATH = path
    }
  })
})

describe('distribution_scope', () => {
  async function scoped(parent: string | undefined, current: string) {
    const registries = new ImageRegistries()
    registries.push(REGISTRY, 'base/os', 'latest', { imageId: `sha256:${'b'.repeat(64)}`, labels: parent ? { 'distribution-scope': parent } : {} })
    const df = dockerfile({ from: `${REGISTRY}/base/os:latest`, release: '1', extra: [`LABEL distribution-scope="${current}"`, 'RUN echo hi'] })
    return run({ Dockerfile: df }, { prebuild: [{ name: 'distribution_scope' }], registries })
  }
  it("a scope wider than the parent's fails the build (the plugin may not fail)", async () => {
    const { result, lines, annotations } = await scoped('restricted', 'public')
    expect(result.success).toBe(false)
    expect(lines).toContain('atomic_reactor.plugins.distribution_scope - ERROR - distribution-scope=public but parent has distribution-scope=restricted')
    expect(JSON.parse(annotations['plugins-metadata']!).errors).toEqual({
      distribution_scope: "DisallowedDistributionScope('distribution-scope=public but parent has distribution-scope=restricted',)"
    })
  })
  it('a narrower one is checked; a parent without the label: no checks', async () => {
    expect((await scoped('public', 'private')).lines).toContain('atomic_reactor.plugins.distribution_scope - INFO - distribution scope checked')
    const { result, lines } = await scoped(undefined, 'public')
    expect(result.success).toBe(true)
    expect(lines).toContain('atomic_reactor.plugins.distribution_scope - DEBUG - no distribution scope set for parent image')
    expect(lines).toContain('atomic_reactor.plugins.distribution_scope - DEBUG - no checks performed')
  })
})

describe('add_yum_repo_by_url + inject_yum_repo', () => {
  it("the local OpenShift's .repo file is fetched, ADDed after FROM to /etc/yum.repos.d/ and removed at the end", async () => {
    const url = yum.repo('local')
    expect(url).toBe(`${yum.url}/local.repo`)
    const text = await (await fetch(url)).text()
    expect(text).toBe(`[local]\nname=local\nbaseurl=${yum.url}/local/\nenabled=1\ngpgcheck=0\n`)
    // a real repository: its metadata is served
    expect((await fetch(`${yum.url}/local/repodata/repomd.xml`)).status).toBe(200)
    const df = dockerfile({ release: '1', extra: ['USER 1001', 'RUN echo hi'] })
    const { result, annotations, lines } = await run({ Dockerfile: df }, { prebuild: [{ name: 'add_yum_repo_by_url', args: { repourls: [url] } }, { name: 'inject_yum_repo' }] })
    expect(result.success).toBe(true)
    expect(lines).toContain(`atomic_reactor.plugins.add_yum_repo_by_url - INFO - fetched repo from '${url}'`)
    expect(lines).toContain(`atomic_reactor.plugins.add_yum_repo_by_url - DEBUG - saving repo '/etc/yum.repos.d/local.repo', length ${text.length}`)
    expect(lines).toContainEqual(expect.stringMatching(/^atomic_reactor\.plugins\.inject_yum_repo - INFO - writing repo to '\/.*\/atomic-reactor-repos\/local\.repo'$/))
    expect(annotations.dockerfile).toMatch(/^FROM fedora:latest\nADD atomic-reactor-repos\/\* '\/etc\/yum\.repos\.d\/'\nLABEL /)
    expect(annotations.dockerfile).toMatch(/\nUSER 1001\nRUN echo hi\n[^]*\nUSER root\nRUN rm -f '\/etc\/yum\.repos\.d\/local\.repo'\nUSER 1001\n$/)
  })
  it('a repository the server does not have fails the build with the HTTP error (the plugin may not fail)', async () => {
    const { result, lines } = await run({ Dockerfile: RELEASED }, { prebuild: [{ name: 'add_yum_repo_by_url', args: { repourls: [`${yum.url}/missing.repo`] } }] })
    expect(result.success).toBe(false)
    expect(lines).toContain(`atomic_reactor.plugin - ERROR - plugin 'add_yum_repo_by_url' raised an exception: HTTPError('404 Client Error: Not Found for url: ${yum.url}/missing.repo',)`)
  })
})

describe('tag_from_config', () => {
  it("the repository's additional-tags become primary tags, pushed; a tag with a dash is ignored with 1.6.26.3's warning", async () => {
    const { result, host, annotations, lines } = await run({ Dockerfile: RELEASED, 'additional-tags': 'stable\nbad-tag\nv2.0\n' }, { postbuild: [{ name: 'tag_from_config' }] })
    expect(result.success).toBe(true)
    expect(lines).toContain('atomic_reactor.plugins.tag_from_config - DEBUG - Using additional tag: myproj/app:stable')
    expect(lines).toContain("atomic_reactor.plugins.tag_from_config - WARNING - tag 'bad-tag' does not match '^[\\w][\\w.-]{0,127}$'or includes dashes, ignoring")
    expect(JSON.parse(annotations.repositories!).primary).toEqual(expect.arrayContaining([`${REGISTRY}/myproj/app:stable`, `${REGISTRY}/myproj/app:v2.0`]))
    expect(host.registries.findRegistry(REGISTRY)!.tags('myproj/app')).toEqual(expect.arrayContaining(['stable', 'v2.0']))
  })
  it('no additional-tags file: no more tags', async () => {
    const { lines } = await run({ Dockerfile: RELEASED }, { postbuild: [{ name: 'tag_from_config' }] })
    expect(lines).toContainEqual(expect.stringMatching(/^atomic_reactor\.plugins\.tag_from_config - DEBUG - ".*\/additional-tags" not found\. No additional tags will be applied\.$/))
  })
})

describe('sendmail', () => {
  const sendmail = (args: Record<string, unknown>) => ({ name: 'sendmail', args: { smtp_host: mail.host, from_address: 'osbs@example.com', url: 'https://openshift.example.com:8443', ...args } })

  it('a successful user build (manual_success): the message, as 1.6.26.3 writes it, to the additional addresses', async () => {
    const before = mail.messages().length
    const { result, lines } = await run({ Dockerfile: RELEASED }, { exit: [sendmail({ send_on: ['manual_success'], additional_addresses: ['alice@example.com'] })] })
    expect(result.success).toBe(true)
    const [message] = (await mail.waitForMessages(before + 1)).slice(before)
    expect(message).toMatchObject({
      from: 'osbs@example.com',
      to: ['alice@example.com'],
      subject: 'Succeeded building image user/app-container:none-12345-20171002184257',
      headerFrom: 'osbs@example.com',
      headerTo: 'alice@example.com'
    })
    expect(message!.text.trim().split('\n').slice(0, 3)).toEqual(['Image: user/app-container:none-12345-20171002184257', 'Status: Succeeded', 'Submitted by: Unknown'])
    expect(message!.raw).toMatch(/^Content-Type: text\/plain; charset="us-ascii"\r\nMIME-Version: 1\.0\r\nContent-Transfer-Encoding: 7bit\r\nSubject: /)
    expect(lines).toContain('atomic_reactor.plugins.sendmail - ERROR - Failed to fetch koji task ID')
    expect(lines).toContain("KeyError: 'koji-task-id'")
    expect(lines).toContain('atomic_reactor.plugins.sendmail - INFO - Failed to fetch koji build ID')
    expect(lines).toContain('atomic_reactor.plugins.sendmail - ERROR - Failed to connect to koji')
    expect(lines).toContain('atomic_reactor.plugins.sendmail - INFO - notification about build result will be sent')
    expect(lines).toContain("atomic_reactor.plugins.sendmail - INFO - sending notification to ['alice@example.com'] ...")
  })

  it('a failed build (manual_fail) with no recipient goes to error_addresses; a Koji task id gives the logs URL', async () => {
    const before = mail.messages().length
    const df = dockerfile({ release: '3', extra: ['RUN exit 3'] })
    const { result, lines } = await run(
      { Dockerfile: df },
      { exit: [sendmail({ error_addresses: ['admin@example.com'], koji_root: 'http://koji.example.com/kojiroot/' })], labels: { 'koji-task-id': '123456' } }
    )
    expect(result.success).toBe(false)
    const [message] = (await mail.waitForMessages(before + 1)).slice(before)
    expect(message).toMatchObject({ to: ['admin@example.com'], subject: 'Failed building image user/app-container:none-12345-20171002184257' })
    expect(message!.text).toContain('Logs: http://koji.example.com/kojiroot/work/tasks/3456/123456')
    expect(lines).toContain('atomic_reactor.plugins.sendmail - INFO - Koji task ID: 123456')
    expect(lines).toContain("atomic_reactor.plugins.sendmail - ERROR - couldn't get list of receivers, sending error message ...")
  })

  it('an autorebuild that stops itself (auto_canceled): Canceled, submitted by <autorebuild>', async () => {
    const before = mail.messages().length
    const { result, lines } = await run(
      { Dockerfile: RELEASED, '.osbs-repo-config': '[autorebuild]\nenabled = false\n' },
      { trigger: true, labels: { is_autorebuild: 'true' }, exit: [sendmail({ send_on: ['auto_canceled'], additional_addresses: ['alice@example.com'] })] }
    )
    expect(result.success).toBe(false)
    expect(lines).toContain('atomic_reactor.plugins.sendmail - INFO - notification about build result will be sent')
    const [message] = (await mail.waitForMessages(before + 1)).slice(before)
    expect(message!.subject).toBe('Canceled building image user/app-container:none-12345-20171002184257')
    expect(message!.text).toContain('Submitted by: <autorebuild>')
  })

  it('conditions not met: nothing sent; an unknown state fails the plugin', async () => {
    const before = mail.messages().length
    const quiet = await run({ Dockerfile: RELEASED }, { exit: [sendmail({ send_on: ['manual_fail'], additional_addresses: ['alice@example.com'] })] })
    expect(quiet.lines).toContain('atomic_reactor.plugins.sendmail - INFO - conditions for sending notification not met, doing nothing')
    const wrong = await run({ Dockerfile: RELEASED }, { exit: [sendmail({ send_on: ['sometimes'] })] })
    expect(wrong.lines).toContain(`atomic_reactor.plugin - WARNING - plugin 'sendmail' raised an exception: PluginFailedException('Unknown state(s) "sometimes" for sendmail plugin',)`)
    expect(mail.messages().length).toBe(before)
  })
})

describe("add_yum_repo_by_url's inject_proxy", () => {
  it('sets proxy in every section, written back as configparser writes the file', () => {
    expect(withProxy('[local]\nname=local\nBaseURL = http://x/\n# a comment\n[other]\nname: other\n  more\n', 'http://proxy:3128')).toBe(
      '[local]\nname = local\nbaseurl = http://x/\nproxy = http://proxy:3128\n\n[other]\nname = other\n\tmore\nproxy = http://proxy:3128\n\n'
    )
    expect(withProxy('[a]\nproxy=old\n', 'new')).toBe('[a]\nproxy = new\n\n')
    expect(withProxy('name=no section\n', 'p')).toBeUndefined()
    expect(withProxy('[a]\nx=1\n[a]\n', 'p')).toBeUndefined()
  })
})
