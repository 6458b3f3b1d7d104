/** A Build's names: its BuildConfig, its number, where its output goes. */
import type { KubeObject } from '../../api/object.js'
import { INTERNAL_REGISTRY } from '../imagestream/tags.js'

const BC_ANNOTATION = 'openshift.io/build-config.name'

export function buildConfigName(b: KubeObject): string | undefined {
  return b.metadata.annotations?.[BC_ANNOTATION] ?? b.metadata.labels?.[BC_ANNOTATION] ?? b.metadata.labels?.buildconfig
}

/** The build's number: its annotation, else the `-<n>` of its name, else 0. */
export function buildNumber(b: KubeObject): number {
  const n = Number(b.metadata.annotations?.['openshift.io/build.number'])
  if (Number.isFinite(n) && n > 0) return n
  const m = /-(\d+)$/.exec(b.metadata.name)
  return m ? Number(m[1]) : 0
}

/** Where a build's output goes, as the controller writes it into status.outputDockerImageReference. */
export function outputReference(build: KubeObject): string | undefined {
  const to = build.spec?.output?.to
  if (!to?.name) return undefined
  if (to.kind === 'DockerImage') return to.name
  const ns = to.namespace || build.metadata.namespace
  return `${INTERNAL_REGISTRY}/${ns}/${to.name}`
}
