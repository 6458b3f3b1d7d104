/** SPEC §5.3: the secrets the plugins are given, each mounted once where atomic-reactor looks for it. */
import type { SecretUse } from '../types.js'

/** Where atomic-reactor finds mounted secrets. */
export const SECRETS_PATH = '/var/run/secrets/atomic-reactor'

export function secretMountPath(name: string): string {
  return `${SECRETS_PATH}/${name}`
}

/** Secrets in the order they are first needed; each mounts once (the first use names the input). */
export class SecretMounts {
  private readonly byName = new Map<string, SecretUse>()

  use(name: string, input: string): string {
    let use = this.byName.get(name)
    if (!use) {
      use = { name, input, mountPath: secretMountPath(name) }
      this.byName.set(name, use)
    }
    return use.mountPath
  }

  list(): SecretUse[] {
    return [...this.byName.values()]
  }
}
