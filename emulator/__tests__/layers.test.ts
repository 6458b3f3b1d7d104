/**
 * The local OpenShift's house (emulator/README.md, "Layout"): laid out as OpenShift is, each floor importing only the
 * floors below it; no circle; no long file or function without its reason.
 */
import { houseRules } from '../../__fixtures__/house-rules.js'

houseRules({
  name: 'the local OpenShift',
  dir: 'emulator/src',
  floors: [
    ['emulator/src/index.ts'], // the public face
    ['emulator/src/cluster'], // the composition root: startCluster, its options and files, the CLI
    ['emulator/src/server'], // the HTTP front: the handler, Go's HTTP manners, one port for HTTP and TLS, the request log
    ['emulator/src/controllers'], // openshift-controller-manager in process: builds, image imports, quotas, the pod mirror
    ['emulator/src/pod'], // the kubelet's side of a build pod: its env and volumes, process pods, podman, the real reactor
    ['emulator/src/reactor'], // the atomic-reactor 1.6.26.3 imitation
    ['emulator/src/registry'], // one folder per resource, as openshift-apiserver's registry/
    ['emulator/src/apiserver'], // the generic REST machinery, watch, tables, discovery, authentication
    ['emulator/src/faults.ts'], // what tests inject into requests, plugins and builds
    ['emulator/src/images'], // the docker registries, in memory or real
    ['emulator/src/koji'], // the Koji hub
    ['emulator/src/mail', 'emulator/src/yum'], // the mail server and the yum repositories builds reach
    ['emulator/src/git'], // the git server (smart HTTP behind basic authentication)
    ['emulator/src/storage'], // the store and the build logs
    ['emulator/src/util'], // certificates, the work queue
    ['emulator/src/api'] // apimachinery: the object type, Status, resources, schema, selectors, patches, validation
  ]
})
