/**
 * The configuration files of one podman service (containers.conf, storage.conf, registries.conf) and the folders
 * they name, all under one folder, so that two services on a machine share no state.
 */
import path from 'node:path'

/** Where one service keeps everything, under `root`. */
export interface PodmanLayout {
  root: string
  containersConf: string
  storageConf: string
  registriesConf: string
  /** containers/storage's graphroot (images, containers, libpod's database, volumes). */
  graphRoot: string
  /** containers/storage's runroot (podman may see it at another path: see storageConf). */
  runRoot: string
  /** libpod's per-boot state (locks, exit files, the events log). */
  tmpDir: string
  /** Temporary image content while copying and building (TMPDIR and image_copy_tmp_dir). */
  copyTmpDir: string
  networkConfigDir: string
  /** Mounted over /var/lib/containers/cache (the blob-info cache) in the service's mount namespace. */
  blobInfoCacheDir: string
  /** Mounted over /var/cache/containers (short-name aliases) in the service's mount namespace. */
  shortNamesDir: string
}

export function podmanLayout(root: string): PodmanLayout {
  return {
    root,
    containersConf: path.join(root, 'containers.conf'),
    storageConf: path.join(root, 'storage.conf'),
    registriesConf: path.join(root, 'registries.conf'),
    graphRoot: path.join(root, 'storage'),
    runRoot: path.join(root, 'run'),
    tmpDir: path.join(root, 'tmp'),
    copyTmpDir: path.join(root, 'copy-tmp'),
    networkConfigDir: path.join(root, 'networks'),
    blobInfoCacheDir: path.join(root, 'cache', 'blob-info'),
    shortNamesDir: path.join(root, 'cache', 'short-names')
  }
}

/** A TOML basic string. */
const q = (s: string) => JSON.stringify(s)

/**
 * containers.conf: cgroupfs and runc (crun refuses here: "cgroups in hybrid mode not supported"), events in a file,
 * the host's network, and file locks under tmp_dir (the default "shm" locks are one segment, /dev/shm/libpod_lock,
 * shared by every podman of the machine).
 */
export function containersConf(layout: PodmanLayout, runc?: string): string {
  return [
    '[containers]',
    'netns = "host"',
    '',
    '[engine]',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    'runtime = "runc"',
    'lock_type = "file"',
    `tmp_dir = ${q(layout.tmpDir)}`,
    `image_copy_tmp_dir = ${q(layout.copyTmpDir)}`,
    `volume_path = ${q(path.join(layout.graphRoot, 'volumes'))}`,
    `static_dir = ${q(path.join(layout.graphRoot, 'libpod'))}`,
    ...(runc ? ['', '[engine.runtimes]', `runc = [${q(runc)}]`] : []),
    '',
    '[network]',
    `network_config_dir = ${q(layout.networkConfigDir)}`,
    ''
  ].join('\n')
}

/** storage.conf: vfs (plain directories: no mounts, works on any filesystem); `runRoot` as podman sees it. */
export function storageConf(layout: PodmanLayout, runRoot = layout.runRoot): string {
  return ['[storage]', 'driver = "vfs"', `graphroot = ${q(layout.graphRoot)}`, `runroot = ${q(runRoot)}`, ''].join('\n')
}

/**
 * registries.conf: short names are Docker Hub's, as with Docker (atomic-reactor was written for it); each of
 * `insecure` (`127.0.0.1:PORT`) is used over plain HTTP or TLS without verification.
 */
export function registriesConf(insecure: string[]): string {
  const lines = ['unqualified-search-registries = ["docker.io"]', '']
  for (const location of insecure) lines.push('[[registry]]', `location = ${q(location)}`, 'insecure = true', '')
  return lines.join('\n')
}
