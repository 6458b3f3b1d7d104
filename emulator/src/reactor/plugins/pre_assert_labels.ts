/** assert_labels (prebuild): the Dockerfile must have the required labels. */
import { definePlugin } from '../plugin.js'
import { dockerfileParse } from '../util/dockerfile-parse.js'
import { PyException, pyListRepr, pyRepr } from '../util/py.js'

export default definePlugin({
  key: 'assert_labels',
  // None: `or ['name', 'version', 'release']` in __init__, kept in run() for the repr of the list
  defaults: { required_labels: null },
  async run(wf, args) {
    const given = (args.required_labels as string[] | null)?.length ? (args.required_labels as string[]) : undefined
    const required = given ?? ['name', 'version', 'release']
    const labels = dockerfileParse(wf.dockerfile).labels
    const missing = required.filter((l) => !labels[l])
    // the list's repr: unicode strings when they came from the JSON arguments, byte strings for the default
    if (missing.length) throw new PyException('RuntimeError', `Dockerfile is missing required labels: ${given ? pyRepr(missing) : pyListRepr(missing)}`)
    return null
  }
})
