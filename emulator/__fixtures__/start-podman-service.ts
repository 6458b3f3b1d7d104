/**
 * Starts a podman service in the folder given as the first argument, prints one JSON line (pid, pidNamespace,
 * socket) and waits to be killed: the test that SIGKILLs it checks that nothing of the service outlives it.
 */
import { PodmanService } from '../src/pod/podman/podman-service.js'

const service = await PodmanService.start({ dir: process.argv[2]!, insecureRegistries: [] })
process.stdout.write(`${JSON.stringify({ pid: service.pid, pidNamespace: service.pidNamespace, socket: service.socket })}\n`)
setInterval(() => undefined, 60_000)
