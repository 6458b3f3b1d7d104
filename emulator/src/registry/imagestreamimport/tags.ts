/** The tags a bulk import of a repository brings in (the importer's PrioritizeTags and its limit). */
import { parsePullSpec } from '../../images/pullspec.js'
import { type ImageRegistries } from '../../images/registries.js'

/**
 * OpenShift 3.11's `imagePolicyConfig.maxImagesBulkImportedPerRepository` default (`SetDefaults_ImagePolicyConfig`,
 * also what `openshift start master --write-config` writes).
 */
export const MAX_IMAGES_BULK_IMPORTED_PER_REPOSITORY = 50

function versionParts(tag: string): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+)*)$/.exec(tag)
  return m ? m[1]!.split('.').map(Number) : undefined
}

/**
 * The order in which a repository's tags are imported (the importer's PrioritizeTags): `latest` first, then tags
 * that are versions (`1.10`, `v2`) newest first, then the others by name.
 */
export function prioritizeTags(tags: string[]): string[] {
  const versions = tags.filter((t) => t !== 'latest' && versionParts(t))
  const others = tags.filter((t) => t !== 'latest' && !versionParts(t)).sort()
  versions.sort((a, b) => {
    const x = versionParts(a)!
    const y = versionParts(b)!
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (y[i] ?? -1) - (x[i] ?? -1)
      if (d) return d
    }
    return a < b ? -1 : 1
  })
  return [...(tags.includes('latest') ? ['latest'] : []), ...versions, ...others]
}

/**
 * The tags a bulk import of `repository` (a pull spec without tag) brings in: those the emulator's registry holds,
 * prioritized and cut at the bulk limit; `latest` alone for a repository the emulator does not host (it resolves
 * as an external image).
 */
export function repositoryTags(registries: ImageRegistries, repository: string): string[] {
  const { registry, repository: repo } = parsePullSpec(repository)
  const hosted = registry ? registries.findRegistry(registry)?.tags(repo) : undefined
  if (!hosted?.length) return ['latest']
  return prioritizeTags(hosted).slice(0, MAX_IMAGES_BULK_IMPORTED_PER_REPOSITORY)
}
