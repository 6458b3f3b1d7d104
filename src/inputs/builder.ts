/** The builder image (build-image or build-imagestream) and the BuildConfig's name. */
import { q } from '../shared/errors.js'
import { isImageReference } from '../naming/image-reference.js'
import { isDns1123Label } from '../naming/names.js'
import type { Settings } from '../settings.js'
import { DEFAULT_BUILD_IMAGE } from './defaults.js'
import type { InputReader } from './reader.js'

const IMAGE_STREAM_TAG = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

/** build-image or build-imagestream, and build-config-name. */
export function parseBuilder(r: InputReader): { builder: Settings['builder']; buildConfigName?: string } {
  const buildImage = r.optional('build-image')
  const buildImagestream = r.optional('build-imagestream')
  let builder: Settings['builder'] = { kind: 'DockerImage', name: DEFAULT_BUILD_IMAGE }
  if (buildImage && buildImagestream) {
    r.problems.push({
      input: 'build-image',
      message: `Inputs build-image (${q(buildImage)}) and build-imagestream (${q(buildImagestream)}) are both set. Accepted: only one of them`
    })
  } else if (buildImagestream) {
    if (!IMAGE_STREAM_TAG.test(buildImagestream)) r.invalid('build-imagestream', buildImagestream, 'Accepted: an ImageStreamTag name:tag')
    builder = { kind: 'ImageStreamTag', name: buildImagestream }
  } else if (buildImage) {
    if (!isImageReference(buildImage)) r.invalid('build-image', buildImage, 'Accepted: a docker image reference, e.g. registry.example.com/buildroot:latest')
    builder = { kind: 'DockerImage', name: buildImage }
  }
  const buildConfigName = r.optional('build-config-name')
  if (buildConfigName && !isDns1123Label(buildConfigName)) {
    r.invalid('build-config-name', buildConfigName, 'Accepted: a DNS-1123 label: lowercase letters, digits and -, at most 63 characters')
  }
  return { builder, buildConfigName }
}
