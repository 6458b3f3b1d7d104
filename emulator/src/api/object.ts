/**
 * Any Kubernetes/OpenShift object as JSON: the one definition every floor of the local OpenShift uses (the store,
 * the API, the controllers, the build pod and the reactor). Type-only, at the bottom of the house: it imports
 * nothing.
 */
export type KubeObject = {
  apiVersion?: string
  kind?: string
  metadata: {
    name: string
    namespace?: string
    resourceVersion?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    [key: string]: unknown
  }
  spec?: any
  status?: any
  [key: string]: unknown
}

/** A tag of an ImageStream as an import left it (what atomic-reactor's import_image asks for, and what the import answers). */
export interface ImportedTag {
  tag: string
  /** `sha256:…` */
  image: string
  dockerImageReference: string
}
