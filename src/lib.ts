/**
 * What the action's steps need only once they send a request: the cluster client and the build flow. `main.ts`
 * and `post.ts` load it with `import()`, so that a dry run, an invalid input and a post step with nothing to do
 * never load (nor parse) it; the bundle keeps it in a chunk of its own.
 */
export { connectCluster } from './cluster/index.js'
export { cancelLeftoverBuild, createBuild } from './flow/index.js'
export { commitStatusFor } from './flow/commit-status.js'
