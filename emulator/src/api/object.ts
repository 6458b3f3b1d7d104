/** Any Kubernetes/OpenShift object as JSON. */
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
