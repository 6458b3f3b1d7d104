/**
 * `npm run record:node-flow -- --kubeconfig <admin kubeconfig> --namespace osbs --registry <host:port>
 *  --master <url> --git-uri <uri> --flow <name>=<build>[,<requests.jsonl>] ...`
 *
 * Writes __fixtures__/openshift/recorded-3.11-node/build-flow.json from a real OpenShift 3.11 master whose build
 * pods ran on the local node (`npm run node`): for each flow, the build pod the real build controller made and the
 * Build's labels and annotations as the real atomic-reactor left them (`<build>`, read through the API), and, when
 * the action's request log is given (the recording proxy's `requests.jsonl` of that run), the BuildConfig and
 * BuildRequest the action posted. README, "Against a real OpenShift 3.11 master", says how the builds are made.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { normalizeValue, recordBuildMetadata, recordPod, type FlowNames, type NodeFlowRecording, type RecordedFlow } from '../__fixtures__/node-flow.js'
import { credentialsFromKubeconfig, MasterClient } from '../emulator/src/pod/node/master-client.js'

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    namespace: { type: 'string', default: 'osbs' },
    registry: { type: 'string' },
    master: { type: 'string' },
    'git-uri': { type: 'string' },
    flow: { type: 'string', multiple: true }
  }
})
if (!values.kubeconfig || !values.registry || !values.master || !values['git-uri'] || !values.flow?.length) {
  process.stderr.write('usage: npm run record:node-flow -- --kubeconfig FILE --namespace NS --registry HOST:PORT --master URL --git-uri URI --flow NAME=BUILD[,REQUESTS.jsonl]...\n')
  process.exit(2)
}
const names: FlowNames = { registry: values.registry, master: values.master, gitUri: values['git-uri'] }
const ns = values.namespace
const client = new MasterClient(await credentialsFromKubeconfig(values.kubeconfig))
const get = async (p: string) => {
  const res = await client.request('GET', p)
  if (res.status !== 200) throw new Error(`GET ${p}: HTTP ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/** The body the action posted to a path ending in `suffix`, from the recording proxy's log. */
function posted(log: string, suffix: RegExp): unknown {
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { method: string; url: string; requestBody?: string }
    if (r.method === 'POST' && suffix.test(r.url.split('?')[0]!)) return JSON.parse(r.requestBody!)
  }
  throw new Error(`${log}: no POST to ${String(suffix)}`)
}

const flows: RecordedFlow[] = []
for (const spec of values.flow) {
  const [name, rest] = spec.split('=') as [string, string]
  const [buildName, log] = rest.split(',') as [string, string | undefined]
  const build = await get(`/apis/build.openshift.io/v1/namespaces/${ns}/builds/${buildName}`)
  const pod = await get(`/api/v1/namespaces/${ns}/pods/${buildName}-build`)
  flows.push({
    name,
    description: log ? 'a build the action started (instantiate)' : 'a build OpenShift started by itself (ImageChange trigger after a new base image)',
    ...(log ? { buildConfig: normalizeValue(posted(log, /\/buildconfigs$/), names), buildRequest: normalizeValue(posted(log, /\/instantiate$/), names) } : {}),
    pod: recordPod(pod, names),
    ...recordBuildMetadata(build, names)
  })
}
const version = await get('/version')
const recording: NodeFlowRecording = {
  description: 'builds of the action on a real OpenShift Origin v3.11.0 master, their pods run by the local node with the real atomic-reactor 1.6.26.3',
  server: `Kubernetes ${String(version.gitVersion)} (openshift start master, internalRegistryHostname docker-registry.default.svc:5000)`,
  recordedWith: 'npm run record:node-flow (scripts/record-node-flow.ts); README, "Against a real OpenShift 3.11 master"',
  flows
}
const out = path.join(import.meta.dirname, '..', '__fixtures__', 'openshift', 'recorded-3.11-node', 'build-flow.json')
writeFileSync(out, `${JSON.stringify(recording, null, 2)}\n`)
await client.close()
process.stdout.write(`wrote ${out}: ${flows.map((f) => f.name).join(', ')}\n`)
