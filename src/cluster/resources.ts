/**
 * The typed calls the action makes, one per request kind, over the transport of client.ts: discovery, the console,
 * Secrets, BuildConfigs, Builds (instantiate, cancel, log), ImageStreams and their tags, who the account is and what
 * it may do.
 */
import { trimEndChar } from '../shared/linear-text.js'
import type { ConnectionSettings } from '../settings.js'
import { ClusterClient, type ClusterOptions } from './client.js'
import { loadConfig } from './config.js'
import { customStrategyAccess } from './custom-strategy.js'
import { ClusterError, isConflict, isNotFound } from './errors.js'
import type { KubeList, KubeObject, LogQuery } from './types.js'

export class Cluster extends ClusterClient {
  /** A client from the action's connection settings (see `loadConfig`). */
  static fromSettings(conn: ConnectionSettings, options: ClusterOptions = {}): Cluster {
    const loaded = loadConfig(conn, options.env ?? process.env)
    options.debug?.(`cluster ${loaded.server} (credentials: ${loaded.source})`)
    return new Cluster(loaded.kubeConfig, { ...options, namespace: options.namespace ?? loaded.namespace })
  }

  /** SPEC §6.1: the first request. Fails with a plain message when the server is not OpenShift. */
  async checkBuildApi(signal?: AbortSignal): Promise<void> {
    try {
      const doc = await this.request<{ resources?: { name: string }[] }>({ verb: 'GET', group: 'build', signal })
      if (!doc?.resources?.some((r) => r.name === 'buildconfigs')) throw new Error(`${this.server} does not serve build.openshift.io/v1 — is it an OpenShift cluster?`)
    } catch (error) {
      if (error instanceof ClusterError && error.status === 404)
        throw new ClusterError(`${this.server} does not serve build.openshift.io/v1 — is it an OpenShift cluster?`, {
          request: error.request,
          status: 404
        })
      throw error
    }
  }

  /**
   * The web console's URL, when the cluster publishes it (OpenShift 4: ConfigMap `console-public` in
   * `openshift-config-managed`, what `oc whoami --show-console` reads); undefined otherwise.
   */
  async consoleUrl(signal?: AbortSignal): Promise<string | undefined> {
    try {
      const cm = await this.request<KubeObject & { data?: Record<string, string> }>({
        verb: 'GET',
        group: 'core',
        resource: 'namespaces',
        name: 'openshift-config-managed',
        subresource: 'configmaps/console-public',
        namespaced: false,
        signal
      })
      const url = cm?.data?.consoleURL?.trim()
      return url && /^https?:\/\//.test(url) ? trimEndChar(url, '/') : undefined
    } catch (error) {
      if (error instanceof ClusterError && error.status !== undefined && error.status < 500) return undefined
      throw error
    }
  }

  /**
   * Where a person looks at a build: its page in the web console when the cluster has one, else its API URL.
   * `consoleUrl`: the console URL when it was asked for already.
   */
  async buildPageUrl(name: string, signal?: AbortSignal, consoleUrl?: Promise<string | undefined>): Promise<string> {
    const console = await (consoleUrl ?? this.consoleUrl(signal)).catch(() => undefined)
    return console ? `${console}/k8s/ns/${encodeURIComponent(this.namespace)}/builds/${encodeURIComponent(name)}` : this.objectUrl('build', 'builds', name)
  }

  /**
   * Whether the account may create builds of the Custom strategy here (what OpenShift's admission plugin
   * BuildByStrategy checks): a SelfSubjectAccessReview, as `kubectl auth can-i create builds/custom` sends it.
   * Undefined when the server does not answer the review (404: not served; 403: the account may not ask; or an
   * error after the retries): then the writes are tried, and their own 403 says what is missing.
   */
  async mayCreateCustomBuilds(signal?: AbortSignal): Promise<boolean | undefined> {
    try {
      const review = await this.request<{ status?: { allowed?: boolean } }>({
        verb: 'POST',
        group: 'authorization',
        resource: 'selfsubjectaccessreviews',
        namespaced: false,
        body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: customStrategyAccess(this.namespace) } },
        // a question, not a write: asking again changes nothing
        idempotent: true,
        signal
      })
      return review?.status?.allowed === true
    } catch (error) {
      if (error instanceof ClusterError && error.status !== undefined && error.status >= 400) {
        this.debugLog(`${error.message}; the permission for Custom builds is not checked beforehand`)
        return undefined
      }
      throw error
    }
  }

  /** The account's name (`users/~`, as `oc whoami` and osbs-client read it); undefined when the server does not say. */
  async accountName(signal?: AbortSignal): Promise<string | undefined> {
    try {
      const user = await this.request<KubeObject>({ verb: 'GET', group: 'user', resource: 'users', name: '~', namespaced: false, signal })
      return user?.metadata?.name || undefined
    } catch (error) {
      if (signal?.aborted) throw error
      return undefined
    }
  }

  getSecret(name: string, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'GET', group: 'core', resource: 'secrets', name, signal })
  }

  async getBuildConfig(name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
    try {
      return await this.request({ verb: 'GET', group: 'build', resource: 'buildconfigs', name, signal })
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  createBuildConfig(body: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'POST', group: 'build', resource: 'buildconfigs', name: undefined, body, signal })
  }

  /** PUT: the body carries the resourceVersion it was read at (409 when someone wrote in between). */
  replaceBuildConfig(body: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'PUT', group: 'build', resource: 'buildconfigs', name: body.metadata.name, body, signal })
  }

  listBuilds(query: { labelSelector?: string; fieldSelector?: string }, signal?: AbortSignal): Promise<KubeList> {
    return this.request({ verb: 'GET', group: 'build', resource: 'builds', query, signal })
  }

  /** POST builds: a Build without a BuildConfig (scratch, isolated). Never re-sent once it may have reached the server. */
  createBuild(body: unknown, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'POST', group: 'build', resource: 'builds', body, signal })
  }

  getBuild(name: string, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'GET', group: 'build', resource: 'builds', name, signal })
  }

  getImageStream(name: string, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'GET', group: 'image', resource: 'imagestreams', name, signal })
  }

  /** The ImageStream, or undefined when it does not exist. */
  async findImageStream(name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
    try {
      return await this.getImageStream(name, signal)
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  /** POST: never re-sent once it may have reached the server (the caller looks for the stream first). */
  createImageStream(body: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'POST', group: 'image', resource: 'imagestreams', body, signal })
  }

  /** PUT: the body carries the resourceVersion it was read at (409 when someone wrote in between). */
  replaceImageStream(body: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'PUT', group: 'image', resource: 'imagestreams', name: body.metadata.name, body, signal })
  }

  getImageStreamTag(name: string, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'GET', group: 'image', resource: 'imagestreamtags', name, signal })
  }

  /** POST buildconfigs/<bc>/instantiate. Never retried once it may have reached the server (see flow/start). */
  instantiate(buildConfig: string, buildRequest: unknown, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({
      verb: 'POST',
      group: 'build',
      resource: 'buildconfigs',
      name: buildConfig,
      subresource: 'instantiate',
      body: buildRequest,
      signal
    })
  }

  /**
   * Cancel a build: merge-patch `status.cancelled=true` (what `oc cancel-build` does); when the server refuses the
   * patch, GET and PUT the build back with the flag (osbs-client's way), retrying on conflict.
   */
  async cancelBuild(name: string, signal?: AbortSignal): Promise<KubeObject> {
    try {
      return await this.request({
        verb: 'PATCH',
        group: 'build',
        resource: 'builds',
        name,
        body: { status: { cancelled: true } },
        contentType: 'application/merge-patch+json',
        signal
      })
    } catch (error) {
      if (!(error instanceof ClusterError) || ![400, 405, 415, 422].includes(error.status ?? 0)) throw error
      this.debugLog(`${error.message}; cancelling with GET and PUT`)
    }
    for (let attempt = 0; ; attempt++) {
      const build = await this.getBuild(name, signal)
      build.status = { ...(build.status ?? {}), cancelled: true }
      try {
        return await this.request({ verb: 'PUT', group: 'build', resource: 'builds', name, body: build, signal })
      } catch (error) {
        if (!isConflict(error) || attempt >= 4) throw error
      }
    }
  }

  /** GET builds/<name>/log as a byte stream. */
  buildLog(name: string, query: LogQuery, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    return this.stream({
      verb: 'GET',
      group: 'build',
      resource: 'builds',
      name,
      subresource: 'log',
      query: { ...query },
      signal
    })
  }
}
