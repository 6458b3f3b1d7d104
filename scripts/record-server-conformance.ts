/**
 * Records the server conformance suite's sequences (__fixtures__/server-conformance/sequences.ts) from a running
 * OpenShift 3.11 API server into __fixtures__/openshift/recorded-3.11-conformance/<sequence>.json, volatile values
 * normalized and no token written. __tests__/server-conformance.test.ts replays them against the local OpenShift.
 *
 *   npm run record:server-conformance -- --server https://127.0.0.1:8443 --ca ca.crt \
 *     --token-file custom.token --plain-token-file plain.token [--namespace osbs] [--registry 127.0.0.1:5000] [only…]
 *
 * --token-file: an account with `edit` in the namespace and the cluster role system:build-strategy-custom;
 * --plain-token-file: one with `edit` only; --registry: a registry the master imports from (HTTP), holding
 * acme/app:1.0 and acme/app:latest. The master should have no node (builds stay Pending).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { openshiftData } from '../__fixtures__/openshift-data.js'
import { Session, type Recording } from '../__fixtures__/server-conformance/harness.js'
import { SEQUENCES } from '../__fixtures__/server-conformance/sequences.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string' },
    ca: { type: 'string' },
    'token-file': { type: 'string' },
    'plain-token-file': { type: 'string' },
    namespace: { type: 'string', default: 'osbs' },
    registry: { type: 'string', default: '127.0.0.1:5000' },
    out: { type: 'string', default: openshiftData('recorded-3.11-conformance') }
  }
})
if (!values.server || !values['token-file'] || !values['plain-token-file']) {
  console.error('usage: npm run record:server-conformance -- --server URL --token-file FILE --plain-token-file FILE [--ca FILE] [--namespace NS] [--registry HOST:PORT] [sequence…]')
  process.exit(2)
}
const target = {
  server: values.server,
  token: readFileSync(values['token-file'], 'utf8').trim(),
  plainToken: readFileSync(values['plain-token-file'], 'utf8').trim(),
  ca: values.ca ? readFileSync(values.ca, 'utf8') : undefined,
  namespace: values.namespace,
  registry: values.registry
}
mkdirSync(values.out, { recursive: true })

const version = await new Session(target).send('GET', '/version', {})
const server = `Kubernetes ${version.json?.gitVersion ?? '?'} at ${values.server}`
for (const sequence of SEQUENCES.filter((q) => !positionals.length || positionals.includes(q.name))) {
  const started = Date.now()
  const session = new Session(target)
  await session.start()
  await sequence.run(session)
  const recording: Recording = { sequence: sequence.name, description: sequence.description, server, steps: session.steps }
  const file = path.join(values.out, `${sequence.name}.json`)
  writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`)
  console.log(`${sequence.name}: ${session.steps.length} steps in ${Date.now() - started} ms -> ${file}`)
}
