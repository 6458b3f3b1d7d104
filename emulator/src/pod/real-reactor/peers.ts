/**
 * Where the peers are (real software beside the repository: `../shared/peers/NAME`, see that folder's README) and
 * the project's own Python start-up shims they run with. The one rule both the emulator and the tests use.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project's root (this file is in `emulator/src/pod/real-reactor/`). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')

/**
 * The project's own Python start-up hook (`emulator/python/sitecustomize.py`) that lets the 2017 Python peers run
 * unchanged on a current Python, docker-py 5 and podman: put it first on PYTHONPATH.
 */
export const PYTHON_SHIMS = path.join(projectRoot, 'emulator', 'python')

/** The folder holding the peers: `PEERS_DIR` when set, else `../shared/peers` beside the project. */
export function defaultPeersRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.PEERS_DIR ? path.resolve(env.PEERS_DIR) : path.resolve(projectRoot, '..', 'shared', 'peers')
}
