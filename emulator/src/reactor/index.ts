/**
 * The emulated atomic-reactor 1.6.26.3, laid out as `atomic_reactor/` is: `inner.ts` (runReactor: build_inside and
 * build_docker_image), `plugin.ts` (the plugins' shape and their runners), `workflow.ts`, `cli.ts` (tracebacks),
 * `source.ts` (the clone), `backend.ts` and `backends/` (where images are pulled, built and pushed), `util/`,
 * `catalogue/` (the plugin table of 1.6.26.3) and `plugins/` (one file per plugin, named by its module).
 * What the cluster needs of it is here.
 */
export { runReactor } from './inner.js'
export type { ImportedTag, ReactorHost, ReactorResult } from './host.js'
export type { BuildBackend } from './backend.js'
export { Workflow } from './workflow.js'
