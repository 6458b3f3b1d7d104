/** The registries the build pushes to (with their secrets and API versions), the source registry, and Pulp. */
import { q } from '../shared/errors.js'
import { isDns1123Subdomain } from '../naming/names.js'
import type { PulpSettings, RegistrySettings, RegistryVersion, Settings } from '../settings.js'
import { parseList, type InputReader } from './reader.js'
import { parseRegistryUri, REGISTRY_URI_FORMAT } from './registry-uri.js'

/** SPEC §2, §5.2: registry-uri with registry-secret by position, registry-api-versions, source-registry-uri. */
export function parseRegistries(r: InputReader): { registries: RegistrySettings[]; registryApiVersions: RegistryVersion[]; sourceRegistry?: Settings['sourceRegistry'] } {
  const registries: RegistrySettings[] = []
  const registryUris = parseList('registry-uri', r.get('registry-uri'), r.problems)
  for (const uri of registryUris) {
    const parsed = parseRegistryUri(uri)
    if ('reason' in parsed) {
      r.problems.push({ input: 'registry-uri', message: `Input registry-uri: ${q(uri)} is not valid: ${parsed.reason}. Accepted: ${REGISTRY_URI_FORMAT}` })
      continue
    }
    const same = registries.find((r) => r.host === parsed.registry.host)
    if (same) {
      r.problems.push({
        input: 'registry-uri',
        message: `Input registry-uri: ${q(uri)} names host ${parsed.registry.host} again (also ${q(same.uri)}). Accepted: each registry host once`
      })
      continue
    }
    registries.push({ ...parsed.registry })
  }
  const registrySecrets = parseList('registry-secret', r.get('registry-secret'), r.problems)
  const registryCount = registryUris.length
  if (registrySecrets.length > registryCount) {
    r.problems.push({
      input: 'registry-secret',
      message: `Input registry-secret: ${registrySecrets.length} secrets (${registrySecrets.join(', ')}) for ${registryCount} ${registryCount === 1 ? 'registry' : 'registries'} in registry-uri. Accepted: at most one secret per registry-uri entry, paired by position`
    })
  }
  registrySecrets.forEach((secret, index) => {
    if (!isDns1123Subdomain(secret)) {
      r.invalid('registry-secret', secret, 'Accepted: OpenShift secret names (lowercase letters, digits, - and .)')
    } else if (index < registries.length) {
      registries[index].secret = secret
    }
  })
  const versionItems = parseList('registry-api-versions', r.get('registry-api-versions'), r.problems)
  const registryApiVersions: RegistryVersion[] = []
  for (const item of versionItems) {
    if (item !== 'v1' && item !== 'v2') r.invalid('registry-api-versions', item, 'Accepted: v1, v2, or both (v1,v2)')
    else if (!registryApiVersions.includes(item)) registryApiVersions.push(item)
  }
  if (versionItems.length === 0) registryApiVersions.push('v1', 'v2')
  registryApiVersions.sort()

  let sourceRegistry: Settings['sourceRegistry']
  const sourceInput = r.get('source-registry-uri')
  if (sourceInput !== '') {
    const parsed = parseRegistryUri(sourceInput)
    if ('reason' in parsed) {
      r.problems.push({
        input: 'source-registry-uri',
        message: `Input source-registry-uri: ${q(sourceInput)} is not valid: ${parsed.reason}. Accepted: ${REGISTRY_URI_FORMAT}`
      })
    } else {
      sourceRegistry = { uri: sourceInput, host: parsed.registry.host, base: parsed.registry.base, insecure: parsed.registry.insecure }
    }
  }
  return { registries, registryApiVersions, sourceRegistry }
}

/** The Pulp environments and their secrets (the sync ones default to the push ones). */
export function parsePulp(r: InputReader): { pulp?: PulpSettings; pulpSync?: PulpSettings } {
  const pulpName = r.optional('pulp-registry-name')
  const pulpSecret = r.optional('pulp-secret')
  const pulpSyncName = r.optional('pulp-sync-registry-name') ?? pulpName
  const pulpSyncSecret = r.optional('pulp-sync-secret') ?? pulpSecret
  for (const name of ['pulp-registry-name', 'pulp-sync-registry-name'] as const) {
    const value = r.get(name)
    if (value && !/^[A-Za-z0-9_.-]+$/.test(value)) r.invalid(name, value, 'Accepted: a Pulp environment name (letters, digits, _ . -)')
  }
  for (const name of ['pulp-secret', 'pulp-sync-secret'] as const) {
    const value = r.get(name)
    if (value && !isDns1123Subdomain(value)) r.invalid(name, value, 'Accepted: an OpenShift secret name (lowercase letters, digits, - and .)')
  }
  if (pulpSecret && !pulpName && !pulpSyncName) {
    r.problems.push({
      input: 'pulp-secret',
      message: `Input pulp-secret: ${q(pulpSecret)} is set but no pulp-registry-name or pulp-sync-registry-name names a Pulp r.environment. Accepted: a Pulp secret together with a Pulp environment`
    })
  }
  const pulp: PulpSettings | undefined = pulpName ? { registryName: pulpName, ...(pulpSecret ? { secret: pulpSecret } : {}) } : undefined
  const pulpSync: PulpSettings | undefined = pulpSyncName ? { registryName: pulpSyncName, ...(pulpSyncSecret ? { secret: pulpSyncSecret } : {}) } : undefined
  return { pulp, pulpSync }
}
