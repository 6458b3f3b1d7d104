/**
 * osbs-client's own `inputs/` (its build_json_dir), with one site customisation the way an OSBS site makes it:
 * `prod_customize.json` disables import_image, which atomic-reactor 1.6.26.3 runs only in an orchestrated build
 * (after docker_api it fails every build: 'Could not find primary images in workflow'). prod_inner.json stays stock.
 */
import { cpSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const DISABLE_IMPORT_IMAGE = { disable_plugins: [{ plugin_type: 'postbuild_plugins', plugin_name: 'import_image' }], enable_plugins: [] }

/** Copies `<osbsClient>/inputs` into `dir` with that prod_customize.json; returns `dir`. */
export function osbsInputsWithoutImportImage(osbsClient: string, dir: string): string {
  cpSync(join(osbsClient, 'inputs'), dir, { recursive: true })
  writeFileSync(join(dir, 'prod_customize.json'), JSON.stringify(DISABLE_IMPORT_IMAGE, null, 2) + '\n')
  return dir
}
