/**
 * BuildConfigs and ATOMIC_REACTOR_PLUGINS shaped as SPEC §5.1/§5.2 (what the action writes), for reactor tests.
 */

export interface PluginsOptions {
  /** ImageChange trigger present: check_and_set_rebuild and stop_autorebuild_if_disabled are rendered. */
  trigger?: boolean
  /** The commit the user's BuildRequest names (buildFrom passes it as the pod's SOURCE_REF). */
  commit?: string
  /** Koji hub URL: bump_release {hub} is rendered only with one (atomic-reactor 1.6.26.3's signature). */
  kojiHub?: string
  branch?: string
  /** registry `host[:port]` → insecure */
  registries?: Record<string, boolean>
  /** first v2 registry (scheme kept) for pulp_sync / delete_from_registry */
  v2Registry?: string
  pulpPush?: string
  pulpSync?: string
  /** render pulp_pull after compress (as osbs-client's prod_inner.json has it) */
  pulpPull?: boolean
  sourceRegistry?: string
  imagestream?: string
  nameLabel?: string
  scratch?: boolean
  url?: string
  /**
   * Render import_image (default false). The action no longer renders it: atomic-reactor 1.6.26.3's import_image
   * reads the primary tags from orchestrate_build's result only, so after docker_api it fails the build.
   */
  importImage?: boolean
}

export function pluginsJson(o: PluginsOptions = {}): Record<string, unknown> {
  const url = o.url ?? 'https://openshift.example.com:8443'
  const registries = o.registries ?? { 'registry.example.com:5000': true }
  const firstRegistry = Object.keys(registries)[0]!
  const prebuild: unknown[] = []
  if (o.trigger !== false) {
    prebuild.push({ name: 'check_and_set_rebuild', args: { label_key: 'is_autorebuild', label_value: 'true', url, verify_ssl: false, use_auth: true } })
    prebuild.push({ name: 'stop_autorebuild_if_disabled', args: { config_file: '.osbs-repo-config' } })
  }
  if (!o.scratch) prebuild.push({ name: 'pull_base_image', args: { parent_registry: o.sourceRegistry ?? null, parent_registry_insecure: true } })
  if (o.kojiHub) prebuild.push({ name: 'bump_release', args: { hub: o.kojiHub } })
  prebuild.push({ name: 'add_labels_in_dockerfile', args: { labels: {} } })
  const postbuild: unknown[] = [
    { name: 'tag_by_labels' },
    {
      name: 'tag_and_push',
      args: { registries: Object.fromEntries(Object.entries(registries).map(([h, insecure]) => [h, { insecure }])) }
    }
  ]
  if (o.pulpPush) {
    postbuild.push({
      name: 'pulp_push',
      args: { pulp_registry_name: o.pulpPush, pulp_secret_path: '/var/run/secrets/atomic-reactor/pulpsecret', publish: !o.pulpSync }
    })
  }
  if (o.pulpSync) {
    postbuild.push({
      name: 'pulp_sync',
      args: { pulp_registry_name: o.pulpSync, docker_registry: o.v2Registry ?? `http://${firstRegistry}`, pulp_secret_path: '/var/run/secrets/atomic-reactor/pulpsecret', publish: true }
    })
  }
  postbuild.push({ name: 'compress', args: { method: 'gzip' } })
  if (o.pulpPull) postbuild.push({ name: 'pulp_pull', args: { insecure: true } })
  if (o.importImage) {
    postbuild.push({
      name: 'import_image',
      args: {
        imagestream: o.imagestream ?? (o.nameLabel ?? 'myproj/app').replace(/\//g, '-'),
        docker_image_repo: `${o.sourceRegistry ?? firstRegistry}/${o.nameLabel ?? 'myproj/app'}`,
        url,
        verify_ssl: false,
        use_auth: true,
        build_json_dir: '/usr/share/osbs'
      }
    })
  }
  const exit: unknown[] = []
  if (o.pulpSync) {
    const synced = o.v2Registry ?? `http://${firstRegistry}`
    exit.push({ name: 'delete_from_registry', args: { registries: { [synced]: {} } } })
  }
  exit.push({ name: 'store_metadata_in_osv3', args: { url, verify_ssl: false, use_auth: true } })
  exit.push({ name: 'remove_built_image' })
  return { client_version: '0.1.0', prebuild_plugins: prebuild, prepublish_plugins: [], postbuild_plugins: postbuild, exit_plugins: exit }
}

export interface BuildConfigOptions extends PluginsOptions {
  name: string
  uri: string
  baseImageStreamTag?: string
  outputName?: string
  repoName?: string
}

export function buildConfig(o: BuildConfigOptions): any {
  const triggers = o.trigger === false || !o.baseImageStreamTag ? [] : [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: o.baseImageStreamTag } } }]
  return {
    apiVersion: 'build.openshift.io/v1',
    kind: 'BuildConfig',
    metadata: { name: o.name, labels: { is_autorebuild: 'false', 'git-repo-name': o.repoName ?? 'app', 'git-branch': o.branch ?? 'main' } },
    spec: {
      runPolicy: 'Serial',
      source: { type: 'Git', git: { uri: o.uri, ref: o.branch ?? 'main' } },
      strategy: {
        type: 'Custom',
        customStrategy: {
          from: { kind: 'DockerImage', name: 'buildroot:latest' },
          exposeDockerSocket: true,
          env: [{ name: 'ATOMIC_REACTOR_PLUGINS', value: JSON.stringify(pluginsJson(o)) }]
        }
      },
      output: { to: { kind: 'DockerImage', name: o.outputName ?? `${Object.keys(o.registries ?? { 'registry.example.com:5000': true })[0]}/user/app-container:none-12345-20171002184257` } },
      triggers
    }
  }
}
