/**
 * import_image (postbuild) as atomic-reactor 1.6.26.3 has it: the ImageStream is made when it cannot be read, then
 * the tags to import are the primary repositories of the build step's result annotations — which only
 * orchestrate_build gives. After any other build step (docker_api) there are none, and the plugin fails: 'Could
 * not find primary images in workflow' (later versions fall back to the tags tag_by_labels made; 1.6.26.3 does not).
 */
import { definePlugin } from '../plugin.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'import_image',
  // imagestream, docker_image_repo, url and build_json_dir are required
  defaults: { imagestream: '', docker_image_repo: '', verify_ssl: true, use_auth: true, insecure_registry: null },
  async run(wf, args, log) {
    const imagestream = String(args.imagestream)
    const repo = String(args.docker_image_repo)
    if (!wf.host.getImageStream(imagestream)) {
      log.info(`Creating ImageStream ${imagestream} for ${repo}`)
      wf.host.createImageStream(imagestream, repo, args.insecure_registry === true)
    }
    log.info(`Importing new tags for ${imagestream}`)
    // build_result.annotations is None after docker_api: ['repositories'] raises TypeError, logged by log.exception
    log.error(
      [
        'Unable to read primary repositories annotations',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python2.7/site-packages/atomic_reactor/plugins/post_import_image.py", line 87, in run',
        "    primaries = self.workflow.build_result.annotations['repositories']['primary']",
        "TypeError: 'NoneType' object has no attribute '__getitem__'"
      ].join('\n')
    )
    throw new PyException('RuntimeError', 'Could not find primary images in workflow')
  }
})
