/** Pull specs as docker reads them: `[registry/]repository[:tag|@digest]`, the registry's host, the normal form. */

/** Split `[registry/]repository[:tag|@digest]` (docker's rules: a first part with `.`/`:` or `localhost` is a registry). */
export function parsePullSpec(spec: string): { registry?: string; repository: string; reference: string } {
  let rest = spec.trim()
  let registry: string | undefined
  const slash = rest.indexOf('/')
  if (slash > 0) {
    const first = rest.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first
      rest = rest.slice(slash + 1)
    }
  }
  let reference = 'latest'
  const at = rest.indexOf('@')
  if (at >= 0) {
    reference = rest.slice(at + 1)
    rest = rest.slice(0, at)
  } else {
    const colon = rest.lastIndexOf(':')
    if (colon > rest.lastIndexOf('/')) {
      reference = rest.slice(colon + 1)
      rest = rest.slice(0, colon)
    }
  }
  return { registry, repository: rest, reference }
}

/** `host[:port]` of a registry URI (`https://host:5000/v2` → `host:5000`). */
export function registryHost(uri: string): string {
  return uri.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '')
}

/** `docker.io/library/fedora:latest` style key for external images. */
export function normalizePullSpec(pullSpec: string): string {
  const { registry, repository, reference } = parsePullSpec(pullSpec)
  const reg = registry ?? 'docker.io'
  const repo = reg === 'docker.io' && !repository.includes('/') ? `library/${repository}` : repository
  return `${reg}/${repo}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`
}
