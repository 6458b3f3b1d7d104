/**
 * The pieces a build pod running the real atomic-reactor 1.6.26.3 is made of, together: a podman service
 * (emulator/src/pod/podman/podman-service.ts) answers on its socket; atomic-reactor's own DockerTasker, on Debian's
 * python3 with docker-py 5 and the project's shims (emulator/python), builds an image through it, finds it by its
 * short name and reads it back as a tar stream, and runs a container; stop() leaves no process, mount or file, and
 * neither does a SIGKILL of the process that started the service. findReactorTools' messages say what to install.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { projectRoot } from '../../__fixtures__/peers.js'
import { describeWithReactorTools } from '../../__fixtures__/reactor-tools.js'
import { makeTempDir } from '../../__fixtures__/temp-dirs.js'
import { mountPointsUnder, mountsUnder } from '../src/pod/process/mounts.js'
import { PYTHON_SHIMS } from '../src/pod/real-reactor/peers.js'
import { PodmanService } from '../src/pod/podman/podman-service.js'
import { descendantsOf, isRunning, processesIn } from '../src/pod/process/processes.js'
import { findReactorTools } from '../src/pod/real-reactor/reactor-tools.js'
import { get, request } from '../src/pod/podman/unix-http.js'
import { isStatic, which } from '../src/images/real/tools.js'

/** Run by /usr/bin/python3: argv is the socket, a build context, and a second context whose image has busybox. */
const REACTOR_SNIPPET = `
import inspect, json, sys
import atomic_reactor.cli.main  # everything the atomic-reactor command imports
from atomic_reactor.core import DockerTasker
from atomic_reactor.util import ImageName, wait_for_command

socket, context, busybox_context = sys.argv[1:4]
tasker = DockerTasker(base_url=socket)

# build_image_from_path passes stream=, which docker-py 5's build() no longer takes
image = ImageName.parse("podman-service-test:1")
result = wait_for_command(tasker.build_image_from_path(context, image, stream=True))
found = tasker.get_image_info_by_image_name(image)  # compares RepoTags with "podman-service-test:1"
tags = sorted(tag for info in tasker.d.images() for tag in info.get("RepoTags") or [])

# post_compress reads get_image() as a raw response
with tasker.d.get_image(image.to_str()) as raw:
    head = raw.read(512)
    position = raw.tell()
    rest = raw.data

container = None
if busybox_context:
    busybox = ImageName.parse("podman-service-busybox:1")
    wait_for_command(tasker.build_image_from_path(busybox_context, busybox, stream=True))
    container = tasker.run(busybox, command=["/bin/busybox", "sleep", "600"])

print(json.dumps({
    "failed": result.is_failed(),
    "logs": result.logs[-5:],
    "found": [info["RepoTags"] for info in found],
    "tags": tags,
    "tar": head[257:262].decode("latin-1"),
    "position": position,
    "size": position + len(rest),
    "argspec": inspect.getargspec(DockerTasker.__init__).args,
    "container": container,
}))
`

describe('findReactorTools', () => {
  const all = new Set(['/p/podman', '/p/runc', '/p/unshare', '/p/go-md2man', '/usr/bin/python3'])
  const peers = '/peers'
  const exists = (file: string) => all.has(file) || file.startsWith(`${peers}/`)

  it('finds everything when everything is there', () => {
    const found = findReactorTools(peers, { which: (c) => (all.has(`/p/${c}`) ? `/p/${c}` : undefined), exists, missingModules: () => [] })
    expect(found).toEqual({
      tools: {
        python: '/usr/bin/python3',
        podman: '/p/podman',
        runc: '/p/runc',
        unshare: '/p/unshare',
        goMd2man: '/p/go-md2man',
        peers: { atomicReactor: '/peers/atomic-reactor', osbsClient: '/peers/osbs-client', dockerfileParse: '/peers/dockerfile-parse-0.0.11', koji: '/peers/koji' }
      }
    })
  })

  it('says what to install for each thing missing', () => {
    const found = findReactorTools(path.resolve(projectRoot, '..', 'shared', 'peers'), {
      which: (c) => (c === 'unshare' ? '/p/unshare' : undefined),
      exists: (file) => file === '/usr/bin/python3' || file.endsWith('/osbs-client') || file.endsWith('/koji'),
      missingModules: (_, modules) => modules.filter((m) => m === 'docker' || m === 'yaml')
    })
    expect(found).toEqual({
      missing: [
        'podman (apt-get install podman)',
        'runc (apt-get install runc)',
        'go-md2man (apt-get install go-md2man)',
        'python3 module docker (apt-get install python3-docker)',
        'python3 module yaml (apt-get install python3-yaml)',
        '../shared/peers/atomic-reactor (the peers; see .ci/get-peers)',
        '../shared/peers/dockerfile-parse-0.0.11 (the peers; see .ci/get-peers)'
      ]
    })
  })

  it('names python3 when there is none, and asks it nothing', () => {
    let asked = false
    const found = findReactorTools('/peers', {
      which: (c) => `/p/${c}`,
      exists: (file) => file.startsWith('/peers/'),
      missingModules: () => ((asked = true), [])
    })
    expect(found).toEqual({ missing: ['/usr/bin/python3 (apt-get install python3)'] })
    expect(asked).toBe(false)
  })

  it('reads mount points from mountinfo, escapes and all, deepest first', () => {
    const info = [
      '22 1 0:21 / /proc rw - proc proc rw',
      '93 46 0:42 / /t/d/podman/storage/c1/userdata/shm rw - tmpfs shm rw',
      '94 46 0:43 / /t/d/with\\040space rw - tmpfs x rw',
      '95 46 0:44 / /t/dd rw - tmpfs x rw',
      '96 46 0:45 / /t/d rw - tmpfs x rw'
    ].join('\n')
    expect(mountPointsUnder(info, '/t/d')).toEqual(['/t/d/podman/storage/c1/userdata/shm', '/t/d/with space', '/t/d'])
  })
})

describeWithReactorTools('a podman service with the real atomic-reactor as its client', (tools) => {
  const pythonPath = [PYTHON_SHIMS, tools.peers.atomicReactor, tools.peers.dockerfileParse, tools.peers.osbsClient].join(':')
  const busybox = which('busybox')
  const staticBusybox = busybox && isStatic(busybox) ? busybox : undefined
  const services = new Set<PodmanService>()
  afterAll(async () => {
    for (const service of services) await service.stop()
  })

  it('answers /_ping, builds with atomic-reactor, and stop() leaves nothing behind', async () => {
    const dir = makeTempDir('podman-service-')
    const service = await PodmanService.start({ dir, insecureRegistries: ['127.0.0.1:5000'], podman: tools.podman, runc: tools.runc })
    services.add(service)
    const socketPath = service.socket.replace(/^unix:\/\//, '')
    expect(service.socket).toBe(`unix://${path.join(dir, 'podman.sock')}`)
    expect(service.env.DOCKER_CONNECTION).toBe(service.socket)
    expect(await get(socketPath, '/_ping', 5000)).toEqual({ status: 200, body: 'OK' })

    const context = path.join(dir, 'context')
    mkdirSync(context)
    writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nLABEL a=b\n')
    let busyboxContext = ''
    if (staticBusybox) {
      busyboxContext = path.join(dir, 'busybox-context')
      mkdirSync(busyboxContext)
      copyFileSync(staticBusybox, path.join(busyboxContext, 'busybox'))
      writeFileSync(path.join(busyboxContext, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\n')
    } else {
      console.warn('podman-service test: no statically linked busybox (apt-get install busybox-static): not running a container')
    }
    const run = spawnSync(tools.python, ['-c', REACTOR_SNIPPET, service.socket, context, busyboxContext], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1' }
    })
    if (run.status !== 0) throw new Error(`python exited with ${run.status}:\n${run.stderr.slice(-4000)}`)
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, unknown>
    expect(out).toMatchObject({
      failed: false,
      found: [['podman-service-test:1']],
      tar: 'ustar',
      position: 512,
      argspec: ['self', 'base_url', 'retry_times', 'timeout']
    })
    expect(out.tags).toContain('podman-service-test:1')
    expect((out.tags as string[]).filter((t) => t.startsWith('docker.io/'))).toEqual([])
    expect(out.size as number).toBeGreaterThan(512)

    const namespace = service.pidNamespace!
    expect(namespace).toMatch(/^pid:\[\d+\]$/)
    const pid = service.pid!
    // unshare's child is podman; below it conmon and, in the container's own PID namespace, busybox's sleep
    const started = descendantsOf(pid)
    expect(started.length).toBeGreaterThanOrEqual(1)
    const commands = started.map((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim())
    if (staticBusybox) expect(commands).toEqual(expect.arrayContaining(['podman', 'conmon', 'busybox']))

    await service.stop()
    services.delete(service)
    expect(processesIn(namespace)).toEqual([])
    expect([pid, ...started].filter(isRunning)).toEqual([])
    expect(mountsUnder(dir)).toEqual([])
    expect(readdirSync(dir).sort()).toEqual(staticBusybox ? ['busybox-context', 'context'] : ['context'])
  }, 180_000)

  it("says why, with podman's last lines, when the service does not come up", async () => {
    const dir = makeTempDir('podman-service-')
    // a podman that only complains
    const fake = path.join(dir, 'fake-podman')
    writeFileSync(fake, '#!/bin/sh\necho "Error: no such thing" >&2\nexit 125\n', { mode: 0o755 })
    await expect(PodmanService.start({ dir, insecureRegistries: [], podman: fake })).rejects.toThrow(/exited \(125\); podman's last lines:\nError: no such thing/)
    expect(readdirSync(dir)).toEqual(['fake-podman'])
  })

  it('two services share no images, state or socket', async () => {
    const [a, b] = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const service = await PodmanService.start({ dir: makeTempDir(`podman-service-${name}-`), insecureRegistries: [], podman: tools.podman, runc: tools.runc })
        services.add(service)
        return service
      })
    )
    const socketA = a!.socket.replace(/^unix:\/\//, '')
    const socketB = b!.socket.replace(/^unix:\/\//, '')
    expect(socketA).not.toBe(socketB)
    expect(a!.pidNamespace).not.toBe(b!.pidNamespace)
    // an image imported into one (from an empty tar archive: two zero blocks) is not in the other; podman ignores
    // the import's `tag` and reports names fully qualified (Docker: only-in-a:latest)
    const imported = await request(socketA, 'POST', '/images/create?fromSrc=-&repo=only-in-a', Buffer.alloc(1024), 30_000)
    expect(imported).toMatchObject({ status: 200 })
    const inA = JSON.parse((await get(socketA, '/images/json', 5000)).body) as { RepoTags?: string[] }[]
    const inB = JSON.parse((await get(socketB, '/images/json', 5000)).body) as { RepoTags?: string[] }[]
    expect(inA.flatMap((i) => i.RepoTags ?? [])).toEqual(['docker.io/library/only-in-a:latest'])
    expect(inB).toEqual([])
    for (const service of [a!, b!]) {
      await service.stop()
      services.delete(service)
    }
  }, 60_000)

  it('ends with the process that started it, even one killed by SIGKILL', async () => {
    const dir = makeTempDir('podman-service-')
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'emulator', '__fixtures__', 'start-podman-service.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const exited = new Promise((resolve) => child.once('close', resolve))
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve)
      child.once('close', (code) => reject(new Error(`the starter exited with ${code} before the service was up`)))
    })
    const { pid, pidNamespace } = JSON.parse(line) as { pid: number; pidNamespace: string }
    expect(processesIn(pidNamespace).length).toBeGreaterThanOrEqual(1)
    child.kill('SIGKILL')
    await exited
    const deadline = Date.now() + 10_000
    while ((processesIn(pidNamespace).length > 0 || isRunning(pid)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(processesIn(pidNamespace)).toEqual([])
    expect(isRunning(pid)).toBe(false)
    expect(mountsUnder(dir)).toEqual([])
  }, 60_000)
})
