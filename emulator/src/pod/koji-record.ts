/**
 * What Koji learns of a finished build. On a real OSBS the koji_promote / koji_import exit plugins import every
 * completed build into Koji. A build whose plugins import it (koji_promote or koji_import in its exit plugins) is
 * imported by them alone, with its outputs (koji/cg-import.ts). A build whose plugins do not — the plugin list
 * has bump_release but no import (no Koji credentials) — is recorded by the cluster when the pod ends, so that the
 * next build of the same version gets the next release as in production: its N-V-R is the one `bump_release`
 * gave, read back from the final Dockerfile that store_metadata_in_osv3 wrote into the Build's `dockerfile`
 * annotation. A scratch build (label `scratch: true`) is never imported: osbs-client leaves those plugins out of
 * it (controllers/build.ts).
 */
import { podPluginConfig } from './env.js'
import { finalLabels, labelOf, parseDockerfile } from '../reactor/util/dockerfile.js'
import type { KubeObject } from '../storage/store.js'

export interface KojiBuildRecord {
  hub: string
  name: string
  version: string
  release: string
}

/** The `hub` argument of bump_release in the build's ATOMIC_REACTOR_PLUGINS, if it runs. */
export function bumpReleaseHub(build: KubeObject): string | undefined {
  const prebuild = podPluginConfig(build)?.prebuild_plugins
  const entry = Array.isArray(prebuild) ? (prebuild as { name?: unknown; args?: { hub?: unknown } }[]).find((p) => p?.name === 'bump_release') : undefined
  return typeof entry?.args?.hub === 'string' ? entry.args.hub : undefined
}

/** Whether the build's own exit plugins import it into Koji (koji_promote, or koji_import of an orchestrated build). */
export function importsIntoKoji(build: KubeObject): boolean {
  const exit = podPluginConfig(build)?.exit_plugins
  return Array.isArray(exit) && (exit as { name?: unknown }[]).some((p) => p?.name === 'koji_promote' || p?.name === 'koji_import')
}

/** The Koji build of a completed Build whose release bump_release set, or undefined. */
export function kojiBuildOf(build: KubeObject): KojiBuildRecord | undefined {
  const hub = bumpReleaseHub(build)
  const dockerfile = build.metadata.annotations?.dockerfile
  if (!hub || !dockerfile) return undefined
  const labels = finalLabels(parseDockerfile(dockerfile))
  const name = labelOf(labels, 'com.redhat.component', 'BZComponent')
  const version = labelOf(labels, 'version', 'Version')
  const release = labelOf(labels, 'release', 'Release')
  return name && version && release ? { hub, name, version, release } : undefined
}
