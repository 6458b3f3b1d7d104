/**
 * `npm run demo` (SPEC §9.6): the real action end to end against the local OpenShift, with no cluster and no docker.
 *
 * 1. start the local OpenShift on loopback, with a `fedora:latest` base image in an ImageStream; where buildah,
 *    docker-registry, busybox-static and skopeo are installed the builds are real (buildah builds the Dockerfile,
 *    a real registry receives the pushes) and the demo reads the images back with `skopeo inspect`;
 * 2. make a sample git repository whose Dockerfile builds an application image on top of it;
 * 3. run the bundled action (`node dist/index.js`) the way a GitHub runner does: INPUT_* variables,
 *    GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, the checkout as GITHUB_WORKSPACE;
 * 4. print the job log as it streams, then the outputs and the job summary;
 * 5. publish a new version of fedora:latest and show OpenShift rebuilding the application by itself (an autorebuild),
 *    on the new base layer;
 * 6. say in a few lines what happened.
 *
 * `npm run demo -- --keep` keeps the local OpenShift (and its registry) running at the end until Ctrl-C, to pull
 * or inspect the images.
 */
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { KOJI_SSL_CERTS_SECRET, startCluster } from '../emulator/src/index.js'
import { DEFAULT_INPUTS, readRunnerFiles, runnerEnv, runnerFiles } from '../__fixtures__/e2e/action.js'
import { makeRepo } from '../__fixtures__/e2e/git.js'
import { which } from '../emulator/src/images/real/tools.js'

const root = path.resolve(import.meta.dirname, '..')
const bundle = path.join(root, 'dist', 'index.js')
const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text)
const bold = paint('1')
const dim = paint('2')
const green = paint('32')
const red = paint('31')
const yellow = paint('33')

/** The image a published external version resolved to. */
function imageRef(published: object): string {
  const p = published as { dockerImageReference?: string; image?: string; digest?: string }
  return p.dockerImageReference ?? p.digest ?? p.image ?? 'a new image'
}

/** `skopeo inspect --cert-dir <certDir> docker://<image>`: what the registry serves (over TLS, its certificate in `certDir`). */
async function skopeoInspect(image: string, certDir: string): Promise<{ Digest: string; Labels: Record<string, string> | null; Layers: string[] }> {
  const { stdout } = await promisify(execFile)('skopeo', ['inspect', '--cert-dir', certDir, `docker://${image}`])
  return JSON.parse(stdout)
}

const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12)

function heading(text: string): void {
  console.log(`\n${bold(`━━ ${text} `.padEnd(100, '━'))}`)
}

/** Show a job log line the way the Actions log viewer would (commands rendered, masks applied). */
function renderJobLine(line: string, masks: string[]): string | undefined {
  for (const mask of masks) if (mask) line = line.split(mask).join('***')
  if (line.startsWith('::add-mask::') || line.startsWith('::debug::') || line === '::endgroup::' || line === '##[endgroup]') return undefined
  if (line.startsWith('::stop-commands::') || /^::[0-9a-f-]{36}::$/.test(line)) return undefined
  // the build log's plugin groups are raw `##[group]` lines inside its stop-commands fence (src/action/job-log.ts)
  const group = /^(?:::group::|##\[group\])(.*)$/.exec(line)
  if (group) return bold(`▸ ${group[1]}`)
  const annotation = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line)
  if (annotation) {
    const text = annotation[2].replace(/%0A/g, '\n').replace(/%0D/g, '').replace(/%25/g, '%')
    return annotation[1] === 'error' ? red(`Error: ${text}`) : annotation[1] === 'warning' ? yellow(`Warning: ${text}`) : `Notice: ${text}`
  }
  return `  ${line}`
}

async function main(): Promise<number> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'osbs-demo-'))
  heading('Starting the local OpenShift')
  // Scheduled imports every second (OpenShift's default is 15 minutes), so that the autorebuilt image moves its ImageStream within the demo.
  const cluster = await startCluster({ port: 0, logPace: 2, logWaitSeconds: 2, builds: 'auto', scheduledImportIntervalSeconds: 1 })
  const ns = cluster.namespace
  const real = cluster.builds === 'real' && !!which('skopeo')
  const registry = cluster.registryHosts['registry']
  // the registries speak TLS with a certificate made for this cluster, alone in its directory
  const certDir = cluster.registryCAFile ? path.dirname(cluster.registryCAFile) : ''
  try {
    console.log(`API server ${cluster.url}, namespace ${ns}`)
    if (cluster.buildsNotice) console.log(yellow(cluster.buildsNotice))
    if (cluster.builds === 'real') console.log(`Builds are real: buildah builds, the registry at ${registry} receives the pushes`)
    if (cluster.builds === 'real' && !real) console.log(yellow('skopeo is not installed: the images are not read back (apt-get install skopeo)'))
    const fedora = await cluster.publishImage(ns, 'fedora', 'latest', { from: 'registry.fedoraproject.org/fedora:latest' })
    console.log(`ImageStreamTag fedora:latest → ${fedora.from} (${imageRef(fedora)})`)
    const baseBefore = real ? await skopeoInspect(fedora.from, certDir) : undefined

    heading('A sample repository')
    const repo = makeRepo(path.join(work, 'hello'), {
      Dockerfile: ['FROM fedora:latest', 'LABEL name="demo/hello" version="1.0" com.redhat.component="hello"', 'RUN echo "hello from the demo build"', 'RUN seq 5', ''].join('\n'),
      '.osbs-repo-config': '[autorebuild]\nenabled = true\n'
    })
    console.log(dim(readFileSync(path.join(repo.dir, 'Dockerfile'), 'utf8').trimEnd()))
    console.log(`commit ${repo.commit} on branch ${repo.branch}`)

    heading('Running the action (node dist/index.js) as a GitHub runner would')
    const home = path.join(work, 'home')
    mkdirSync(home)
    const files = runnerFiles(work)
    const inputs: Record<string, string> = {
      ...DEFAULT_INPUTS,
      'openshift-server': cluster.url,
      'openshift-token': cluster.token,
      namespace: ns,
      'git-uri': repo.uri,
      ...(registry ? { 'registry-uri': `${registry}/v2`, 'source-registry-uri': registry, 'registry-api-versions': 'v2' } : { 'registry-uri': 'registry.example.com/v2' }),
      // the local OpenShift's Koji hub: bump_release asks it for each build's release, koji_promote imports the
      // build, logged in with the client certificate of the cluster's Secret kojisecret
      'koji-hub': cluster.kojiHub,
      'koji-certs-secret': KOJI_SSL_CERTS_SECRET
    }
    const env = runnerEnv({ workspace: repo.dir, home, files, repository: 'demo/hello', sha: repo.commit, ref: `refs/heads/${repo.branch}`, runId: '1', actor: 'demo-user' }, inputs)
    const stepStarted = performance.now()
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [bundle], { cwd: repo.dir, env, stdio: ['ignore', 'pipe', 'inherit'] })
      let partial = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n')
        partial = lines.pop() ?? ''
        for (const line of lines) {
          const shown = renderJobLine(line, [cluster.token])
          if (shown !== undefined) console.log(shown)
        }
      })
      child.on('close', (c) => resolve(c))
    })
    const { outputs, summary } = readRunnerFiles(files)
    const stepSeconds = (performance.now() - stepStarted) / 1000
    console.log(code === 0 ? green('\nThe step succeeded (exit code 0)') : red(`\nThe step failed (exit code ${code})`))
    const firstBuild = outputs['build-name'] ? cluster.store.get('builds', ns, outputs['build-name']) : undefined
    const buildSeconds = Number(firstBuild?.status?.duration ?? 0) / 1e9
    console.log(`The step took ${stepSeconds.toFixed(1)} s; build ${outputs['build-name']} ran ${buildSeconds.toFixed(1)} s (${cluster.builds} build)`)

    heading('Step outputs (GITHUB_OUTPUT)')
    for (const [name, value] of Object.entries(outputs)) {
      const lines = value.split('\n')
      console.log(`${bold(name.padEnd(22))} ${lines[0]}`)
      for (const more of lines.slice(1)) console.log(`${''.padEnd(23)}${more}`)
    }

    heading('Job summary (GITHUB_STEP_SUMMARY)')
    console.log(summary.trim())
    if (code !== 0) return 1

    let pushedBefore: Awaited<ReturnType<typeof skopeoInspect>> | undefined
    if (real) {
      heading(`What the registry serves: skopeo inspect --cert-dir ${certDir} docker://${outputs.image}`)
      pushedBefore = await skopeoInspect(outputs.image, certDir)
      const same = pushedBefore.Digest === outputs['image-digest']
      console.log(`Digest  ${pushedBefore.Digest}  ${same ? green('= the image-digest output') : red(`≠ the image-digest output ${outputs['image-digest']}`)}`)
      for (const [k, v] of Object.entries(pushedBefore.Labels ?? {}).filter(([k]) => ['name', 'version', 'release', 'vcs-ref'].includes(k))) console.log(`Label   ${k}=${v}`)
      console.log(`Layers  ${pushedBefore.Layers.map(short).join(', ')} (the first is fedora:latest's ${short(baseBefore!.Layers[0]!)})`)
      if (!same) return 1
    }

    heading('A new fedora:latest: OpenShift rebuilds the application by itself')
    const bc = outputs['build-config']
    const before = new Set(cluster.store.list('builds', ns).map((b) => b.metadata.name))
    const updated = await cluster.publishImage(ns, 'fedora', 'latest')
    console.log(`fedora:latest now points at ${imageRef(updated)}${real ? ' (a new image pushed to the registry and imported)' : ''}`)
    const deadline = Date.now() + 60_000
    let rebuilt: ReturnType<typeof cluster.store.list>[number] | undefined
    while (Date.now() < deadline) {
      rebuilt = cluster.store.list('builds', ns).find((b) => !before.has(b.metadata.name) && b.metadata.labels?.['openshift.io/build-config.name'] === bc)
      if (rebuilt && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(rebuilt.status?.phase)) break
      await new Promise((r) => setTimeout(r, 100))
    }
    if (!rebuilt) {
      console.log(red('No build was started for the new base image'))
      return 1
    }
    const cause = (rebuilt.spec?.triggeredBy ?? []).map((t: { message?: string }) => t.message).join(', ')
    console.log(`Build ${bold(rebuilt.metadata.name)} started by OpenShift (${cause}), label is_autorebuild=${rebuilt.metadata.labels?.is_autorebuild}`)
    console.log(`It ended ${rebuilt.status?.phase === 'Complete' ? green('Complete') : red(rebuilt.status?.phase ?? 'unknown')}`)
    const repositories = JSON.parse(rebuilt.metadata.annotations?.repositories ?? '{}') as { primary?: string[] }
    for (const image of repositories.primary ?? []) console.log(`  pushed ${image}`)
    // No action ran for the autorebuild: OpenShift's scheduled import brings its latest into the ImageStream.
    const rebuiltLatest = (JSON.parse(rebuilt.metadata.annotations?.digests ?? '[]') as { tag?: string; digest: string }[]).find((d) => d.tag === 'latest')?.digest
    const streamLatest = () =>
      (cluster.store.get('imagestreams', ns, 'demo-hello')?.status?.tags as { tag: string; items?: { image: string }[] }[] | undefined)?.find((t) => t.tag === 'latest')?.items?.[0]?.image
    for (const until = Date.now() + 15_000; rebuiltLatest && streamLatest() !== rebuiltLatest && Date.now() < until;) await new Promise((r) => setTimeout(r, 100))
    const streamMoved = rebuiltLatest !== undefined && streamLatest() === rebuiltLatest
    console.log(streamMoved ? `ImageStreamTag demo-hello:latest → ${rebuiltLatest} (OpenShift's scheduled import)` : yellow('ImageStreamTag demo-hello:latest did not move to the rebuilt image'))
    let layerLine = ''
    if (real && rebuilt.status?.phase === 'Complete' && repositories.primary?.[0]) {
      const after = await skopeoInspect(repositories.primary[0], certDir)
      const base = await skopeoInspect(updated.from, certDir)
      const onNewBase = after.Layers[0] === base.Layers[0] && after.Layers[0] !== baseBefore!.Layers[0]
      console.log(`skopeo inspect ${repositories.primary[0]}: digest ${after.Digest}`)
      console.log(
        `  base layer ${short(after.Layers[0]!)}: ${onNewBase ? green("the new fedora:latest's") : red(`not the new fedora:latest's (${short(base.Layers[0]!)})`)} (was ${short(pushedBefore!.Layers[0]!)})`
      )
      layerLine = `\n5. The rebuilt image in the registry starts with the new base layer ${short(after.Layers[0]!)} instead of ${short(pushedBefore!.Layers[0]!)}.`
      if (!onNewBase) return 1
    }

    heading('What happened')
    const first = outputs['build-name']
    const adopted = JSON.stringify(firstBuild?.spec?.triggeredBy ?? []).includes('imageChangeBuild')
    console.log(
      [
        adopted
          ? `1. The action created BuildConfig ${bc} (git ref ${repo.branch}, ImageChange trigger on fedora:latest). fedora:latest already had an image, so OpenShift started ${first} by itself; the action adopted it instead of starting a second build. It built commit ${repo.commit.slice(0, 12)}.`
          : `1. The action created BuildConfig ${bc} (git ref ${repo.branch}, ImageChange trigger on fedora:latest) and started build ${first} for commit ${repo.commit.slice(0, 12)}.`,
        `2. It streamed the atomic-reactor log into the job log, grouped per plugin, and set ${Object.keys(outputs).length} outputs, e.g. image=${outputs.image}.` +
          (outputs['koji-nvr']
            ? ` koji_promote imported the build into the local Koji hub as ${outputs['koji-nvr']} (build ${outputs['koji-build-id']}, ${outputs['rpm-count'] || 'no'} RPM${outputs['rpm-count'] === '1' ? '' : 's'}).`
            : ''),
        `3. The action wrote ImageStream demo-hello (tags 1.0 and latest, imported now and on OpenShift's schedule), so images built on this one are rebuilt in turn.`,
        `4. A new fedora:latest made OpenShift start ${rebuilt.metadata.name} by itself: an autorebuild (${rebuilt.status?.phase})${streamMoved ? ', and the scheduled import moved demo-hello:latest to it' : ''}.` +
          layerLine
      ].join('\n')
    )
    if (process.argv.includes('--keep') && registry) {
      console.log(`\nThe local OpenShift keeps running (Ctrl-C ends it): skopeo inspect --cert-dir ${certDir} docker://${outputs.image}`)
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve())
        process.once('SIGTERM', () => resolve())
      })
    }
    return rebuilt.status?.phase === 'Complete' ? 0 : 1
  } finally {
    await cluster.close()
    rmSync(work, { recursive: true, force: true })
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
)
