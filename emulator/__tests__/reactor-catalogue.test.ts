/**
 * The build pod knows atomic-reactor 1.6.26.3's 50 plugins (the table of ../shared/reference) and treats a plugin
 * list as its runner does (atomic_reactor/plugin.py): an unknown plugin, `required: false`, an argument outside
 * the signature, a missing required argument, and the failure rules of each phase, with its messages.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { KojiHub } from '../src/koji/hub.js'
import { ALLOWED_TO_FAIL, CATALOGUE, constructorCall, lookup, missingArgumentsMessage, OWN_KWARGS, TABLE, TABLE_FILE } from '../src/reactor/catalogue/index.js'
import { withDefaults, type Plugin } from '../src/reactor/plugin.js'
import { IMPLEMENTATIONS } from '../src/reactor/plugins/index.js'
import { runReactor } from '../src/reactor/index.js'
import { ImageRegistries } from '../src/images/registries.js'
import { buildConfig } from '../__fixtures__/build-config.js'
import { buildFrom, FakeHost } from '../__fixtures__/fake-host.js'
import { dockerfile, GitRepo } from '../__fixtures__/git-repo.js'
import { describeWithPeers, peersRoot } from '../../__fixtures__/peers.js'

const PLUGINS_DIR = fileURLToPath(new URL('../src/reactor/plugins/', import.meta.url))
const REFERENCE = path.resolve(peersRoot, '..', 'reference', 'atomic-reactor-1.6.26.3-plugins.json')

describe('the catalogue', () => {
  it('is the reference table (a copy, so that a clone stands alone)', () => {
    if (!existsSync(REFERENCE)) {
      if (process.env.CI === 'true') throw new Error(`${REFERENCE} is missing: in CI the reference must be present`)
      console.warn(`skipped the comparison with ${REFERENCE} (missing)`)
      return
    }
    expect(readFileSync(TABLE_FILE, 'utf8')).toBe(readFileSync(REFERENCE, 'utf8'))
  })

  it('knows 50 of 50 plugin keys, each in the phases of its base classes', () => {
    expect(CATALOGUE.size).toBe(50)
    expect([...CATALOGUE.keys()]).toEqual(Object.keys(TABLE))
    expect(lookup('change_from_in_dockerfile', 'prebuild')?.className).toBe('ChangeFromPlugin')
    expect(lookup('squash', 'prepublish')?.className).toBe('PrePublishSquashPlugin')
    expect(lookup('squash', 'postbuild')).toBeUndefined()
    // ExitPlugin subclasses PostBuildPlugin: exit plugins load as post-build plugins too
    expect(CATALOGUE.get('store_metadata_in_osv3')?.phases).toEqual(['exit', 'postbuild'])
    expect(CATALOGUE.get('pulp_pull')?.phases).toEqual(['exit', 'postbuild'])
    expect(CATALOGUE.get('osv3')?.phases).toEqual(['input'])
    const inPhases = [...CATALOGUE.values()].filter((e) => !e.phases.includes('input'))
    expect(inPhases).toHaveLength(47)
  })

  it('has an implementation only for keys of the table', () => {
    for (const key of IMPLEMENTATIONS.keys()) expect(CATALOGUE.has(key)).toBe(true)
  })

  it('has one plugin per file of plugins/, named by the module of its key, with defaults only for arguments of its signature', async () => {
    const files = readdirSync(PLUGINS_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    const seen: string[] = []
    for (const file of files) {
      const module = (await import(pathToFileURL(path.join(PLUGINS_DIR, file)).href)) as { default?: Plugin }
      const plugin = module.default
      expect({ file, key: plugin?.key }).toEqual({ file, key: expect.any(String) })
      const entry = CATALOGUE.get(plugin!.key)!
      expect({ key: plugin!.key, file }).toEqual({ key: plugin!.key, file: `${entry.module}.ts` })
      for (const arg of Object.keys(plugin!.defaults)) expect({ key: plugin!.key, arg, inSignature: entry.args.includes(arg) }).toEqual({ key: plugin!.key, arg, inSignature: true })
      expect(IMPLEMENTATIONS.get(plugin!.key)).toBe(plugin)
      seen.push(plugin!.key)
    }
    expect(seen.sort()).toEqual([...IMPLEMENTATIONS.keys()].sort())
  })

  it("gives a plugin's run() the defaults of the arguments not given (absent or null), and the given ones as they are", () => {
    const defaults = { help_file: 'help.md', publish: true }
    expect(withDefaults(defaults, {})).toEqual({ help_file: 'help.md', publish: true })
    expect(withDefaults(defaults, { help_file: null, publish: false, other: 1 })).toEqual({ help_file: 'help.md', publish: false, other: 1 })
  })

  it('applies _remove_unknown_args and the constructor call', () => {
    const bump = CATALOGUE.get('bump_release')!
    expect(constructorCall(bump, { git_ref: 'abc', git_branch: 'main' })).toEqual({
      accepted: {},
      dropped: [
        ['git_ref', 'abc'],
        ['git_branch', 'main']
      ],
      missing: ['hub']
    })
    // no __init__ of its own (BuildPlugin's takes **kwargs), or **kwargs of its own: nothing is dropped
    expect(constructorCall(CATALOGUE.get('distribution_scope')!, { x: 1 }).dropped).toEqual([])
    expect(constructorCall(CATALOGUE.get('tag_by_labels')!, { x: 1 }).dropped).toEqual([])
    expect(missingArgumentsMessage(['hub'])).toBe("__init__() missing 1 required positional argument: 'hub'")
    expect(missingArgumentsMessage(['label_key', 'url'])).toBe("__init__() missing 2 required positional arguments: 'label_key' and 'url'")
    expect(missingArgumentsMessage(['a', 'b', 'c'])).toBe("__init__() missing 3 required positional arguments: 'a', 'b', and 'c'")
  })
})

describeWithPeers(['atomic-reactor'], 'the facts the table lacks, read from the atomic-reactor source', ({ 'atomic-reactor': root }) => {
  const classBody = (key: string) => {
    const row = TABLE[key]!
    const src = readFileSync(path.join(root!, 'atomic_reactor', 'plugins', `${row.module}.py`), 'utf8')
    const start = src.indexOf(`class ${row.class}(`)
    const next = src.indexOf('\nclass ', start + 1)
    return src.slice(start, next < 0 ? undefined : next)
  }

  it('which classes keep is_allowed_to_fail = True', () => {
    const keeps = Object.keys(TABLE).filter((k) => !/^\s+is_allowed_to_fail = False/m.test(classBody(k)))
    expect(new Set(keeps)).toEqual(ALLOWED_TO_FAIL)
  })

  it('which constructors take **kwargs of their own', () => {
    const kwargs = Object.keys(TABLE).filter((k) => /def __init__\(self[^)]*\*\*kwargs\)/.test(classBody(k)) && TABLE[k]!.bases[0] !== 'InputPlugin')
    expect(new Set(kwargs)).toEqual(OWN_KWARGS)
  })
})

describe('the runner', () => {
  const repos: GitRepo[] = []
  afterAll(() => repos.forEach((r) => r.remove()))
  let koji: KojiHub
  beforeEach(async () => {
    koji = new KojiHub()
    await koji.start()
  })
  afterEach(() => koji.close())

  /** A build of a fresh repository with the fixture's plugin list, changed by `edit`. */
  async function run(edit: (plugins: any) => void) {
    const r = new GitRepo()
    repos.push(r)
    r.commit({ Dockerfile: dockerfile() }, 'initial')
    const bc = buildConfig({ name: 'app-main-12345', uri: r.uri, baseImageStreamTag: 'fedora:latest', kojiHub: koji.url })
    const env = bc.spec.strategy.customStrategy.env[0]
    const plugins = JSON.parse(env.value)
    edit(plugins)
    env.value = JSON.stringify(plugins)
    const host = new FakeHost(buildFrom(bc, 1, { commit: r.head() }), new ImageRegistries(), structuredClone(bc))
    const result = await runReactor(host)
    const lines = host.lines.map((l) => l.replace(/^\S+ \S+ platform:- - /, ''))
    const meta = host.build.metadata.annotations?.['plugins-metadata']
    return { result, lines, errors: meta ? JSON.parse(meta).errors : undefined }
  }

  it('fails on a plugin it does not know, with atomic-reactor’s message', async () => {
    const { result, lines, errors } = await run((p) => p.prebuild_plugins.push({ name: 'resolve_module_compose', args: { module_name: 'x' } }))
    expect(result.success).toBe(false)
    expect(lines).toContain("atomic_reactor.plugin - ERROR - no such plugin: 'resolve_module_compose', did you set the correct plugin type?")
    expect(lines).toContain("atomic_reactor.inner - ERROR - one or more prebuild plugins failed: no such plugin: 'resolve_module_compose', did you set the correct plugin type?")
    expect(errors).toEqual({ resolve_module_compose: `PluginFailedException("no such plugin: 'resolve_module_compose', did you set the correct plugin type?",)` })
    // a plugin of another phase is as unknown in this one
    const other = await run((p) => p.prebuild_plugins.push({ name: 'tag_by_labels' }))
    expect(other.lines).toContain("atomic_reactor.plugin - ERROR - no such plugin: 'tag_by_labels', did you set the correct plugin type?")
  })

  it('skips a missing plugin marked required: false with the runner’s warning', async () => {
    const { result, lines } = await run((p) => {
      p.prebuild_plugins.push({ name: 'koji_parent_image', required: false }, { name: 'flatpak_create_dockerfile', required: false })
    })
    expect(result.success).toBe(true)
    expect(lines).toContain("atomic_reactor.plugin - WARNING - plugin 'koji_parent_image' requested but not available")
    expect(lines).toContain("atomic_reactor.plugin - WARNING - plugin 'flatpak_create_dockerfile' requested but not available")
  })

  it('an unknown plugin among the exit plugins is logged and the others still run', async () => {
    const { result, lines } = await run((p) => p.exit_plugins.unshift({ name: 'no_such_exit_plugin' }))
    expect(result.success).toBe(true)
    expect(lines).toContain("atomic_reactor.plugin - ERROR - no such plugin: 'no_such_exit_plugin', did you set the correct plugin type?")
    expect(lines).toContain('atomic_reactor.inner - INFO - build has finished successfully \\o/')
  })

  it('drops an argument outside the signature with its warning (the value as str() prints it)', async () => {
    const { result, lines } = await run((p) => {
      p.prebuild_plugins.find((x: any) => x.name === 'bump_release').args.git_branch = 'main'
      p.postbuild_plugins.find((x: any) => x.name === 'tag_and_push').args.extra = { a: [1, true, null] }
    })
    expect(result.success).toBe(true)
    expect(lines).toContain('atomic_reactor.plugin - WARNING - BumpReleasePlugin constructor does not take git_branch=main parameter, ignoring it')
    expect(lines).toContain("atomic_reactor.plugin - WARNING - TagAndPushPlugin constructor does not take extra={u'a': [1, True, None]} parameter, ignoring it")
    expect(lines).toContain(`atomic_reactor.plugin - INFO - running plugin instance with args: '{u'hub': u'${koji.url}'}'`)
  })

  it('a plugin taking **kwargs gets everything (tag_by_labels warns itself)', async () => {
    const { result, lines } = await run((p) => (p.postbuild_plugins.find((x: any) => x.name === 'tag_by_labels').args = { unique_tag_only: false, x: 1 }))
    expect(result.success).toBe(true)
    expect(lines).toContain("atomic_reactor.plugins.tag_by_labels - WARNING - ignoring arguments {u'x': 1}")
  })

  it('fails a plugin that lacks a required argument with the TypeError, by the failure rules of its phase', async () => {
    // the 2015 bump_release arguments: both dropped, then `hub` is missing; bump_release may not fail
    const { result, lines, errors } = await run((p) => (p.prebuild_plugins.find((x: any) => x.name === 'bump_release').args = { git_ref: 'abc', git_branch: 'main' }))
    expect(result.success).toBe(false)
    expect(lines).toContain('atomic_reactor.plugin - WARNING - BumpReleasePlugin constructor does not take git_ref=abc parameter, ignoring it')
    expect(lines).toContain('atomic_reactor.plugin - WARNING - BumpReleasePlugin constructor does not take git_branch=main parameter, ignoring it')
    expect(lines).toContain(`atomic_reactor.plugin - ERROR - plugin 'bump_release' raised an exception: TypeError("__init__() missing 1 required positional argument: 'hub'",)`)
    expect(errors).toEqual({ bump_release: `TypeError("__init__() missing 1 required positional argument: 'hub'",)` })
    expect(lines).not.toContain("atomic_reactor.plugin - DEBUG - running plugin 'docker_api'")

    // a plugin allowed to fail only warns, and the build goes on
    const allowed = await run((p) => p.prebuild_plugins.push({ name: 'check_and_set_rebuild', is_allowed_to_fail: true, args: { label_key: 'k' } }))
    expect(allowed.result.success).toBe(true)
    expect(allowed.lines).toContain(
      `atomic_reactor.plugin - WARNING - plugin 'check_and_set_rebuild' raised an exception: TypeError("__init__() missing 2 required positional arguments: 'label_value' and 'url'",)`
    )
    expect(allowed.lines).toContain('atomic_reactor.plugin - INFO - error is not fatal, continuing...')

    // exit plugins keep going: every exit plugin runs, then the build fails
    const exit = await run((p) => p.exit_plugins.unshift({ name: 'store_logs_to_file', is_allowed_to_fail: false }))
    expect(exit.result.success).toBe(false)
    expect(exit.lines).toContain(
      `atomic_reactor.inner - ERROR - one or more exit plugins failed: plugin 'store_logs_to_file' raised an exception: TypeError("__init__() missing 1 required positional argument: 'file_path'",)`
    )
    expect(exit.lines).toContain("atomic_reactor.plugin - DEBUG - running plugin 'remove_built_image'")
  })

  it('runs an exit plugin in the post-build phase, as ExitPlugin subclasses PostBuildPlugin', async () => {
    const { result, lines } = await run((p) => p.postbuild_plugins.push({ name: 'remove_built_image' }))
    expect(result.success).toBe(true)
    expect(lines.filter((l) => l === "atomic_reactor.plugin - DEBUG - running plugin 'remove_built_image'")).toHaveLength(2)
  })
})
