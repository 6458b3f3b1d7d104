/**
 * The action's house (README, "Development"): the GitHub edge on top, then the library's stages, each importing only
 * the floors below it; no circle; no long file or function without its reason.
 */
import { houseRules } from '../__fixtures__/house-rules.js'

houseRules({
  name: 'the action',
  dir: 'src',
  floors: [
    ['src/index.ts', 'src/action'], // the bundle's entry and the GitHub edge (the only users of @actions/*)
    ['src/lib.ts'], // the chunk the main and post steps load once they need the cluster
    ['src/flow'], // the build flow: checks, the BuildConfig, start, log, wait, the ImageStream
    ['src/report'], // outputs, the job summary, the dry run
    ['src/plan'], // the checkout and the settings made into one BuildPlan
    ['src/inputs'], // the workflow's inputs into Settings
    ['src/render'], // the OpenShift objects the action writes, pure
    ['src/checkout'], // the files of the checkout: Dockerfile, .osbs-repo-config
    ['src/github'], // the one request to GitHub: the commit status
    ['src/koji'], // the calls to the Koji hub: the RPMs of the Koji build's images
    ['src/cluster'], // the one module that sends requests
    ['src/naming'], // names, references, tags
    ['src/settings.ts'],
    ['src/shared'] // errors, masking, the Reporter interface, the version
  ]
})
