/** atomic-reactor's `ImageName`: `[registry/][namespace/]repo[:tag|@digest]`. */
export class ImageName {
  constructor(
    public registry: string | undefined,
    public namespace: string | undefined,
    public repo: string,
    public tag: string | undefined
  ) {}

  static parse(s: string): ImageName {
    const parts = s.split('/')
    let registry: string | undefined
    let namespace: string | undefined
    let rest: string
    if (parts.length === 1) rest = parts[0]!
    else if (parts.length === 2) {
      if (parts[0]!.includes('.') || parts[0]!.includes(':')) registry = parts[0]
      else namespace = parts[0]
      rest = parts[1]!
    } else {
      registry = parts[0]
      namespace = parts[1]
      rest = parts.slice(2).join('/')
    }
    let tag: string | undefined
    const at = rest.lastIndexOf('@')
    const colon = rest.lastIndexOf(':')
    if (at >= 0) {
      tag = rest.slice(at + 1)
      rest = rest.slice(0, at)
    } else if (colon >= 0) {
      tag = rest.slice(colon + 1)
      rest = rest.slice(0, colon)
    }
    return new ImageName(registry, namespace, rest, tag)
  }

  /** `ns/repo` (or `repo`) */
  get repository(): string {
    return this.namespace ? `${this.namespace}/${this.repo}` : this.repo
  }

  /** `redhat-` repo id part: `ns-repo` */
  get pulpRepo(): string {
    return this.repository.replace(/\//g, '-')
  }

  toString(opts: { registry?: boolean; tag?: boolean } = {}): string {
    const withRegistry = opts.registry ?? true
    const withTag = opts.tag ?? true
    let s = (withRegistry && this.registry ? this.registry + '/' : '') + this.repository
    if (withTag && this.tag) s += (this.tag.includes(':') ? '@' : ':') + this.tag
    return s
  }

  copy(changes: Partial<Pick<ImageName, 'registry' | 'namespace' | 'repo' | 'tag'>> = {}): ImageName {
    return new ImageName(
      'registry' in changes ? changes.registry : this.registry,
      'namespace' in changes ? changes.namespace : this.namespace,
      changes.repo ?? this.repo,
      'tag' in changes ? changes.tag : this.tag
    )
  }

  /** Python repr as atomic-reactor logs it. */
  repr(): string {
    return `ImageName(image=u'${this.toString()}')`
  }
}
