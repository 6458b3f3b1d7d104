/**
 * OpenShift reference data kept in the project (`__fixtures__/openshift/`, see its README for each file's source
 * and licence): the trimmed OpenAPI definitions and the responses recorded from OpenShift 3.9.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder holding the data. */
export const openshiftDataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'openshift')

/** The path of a file of the data, e.g. `openshiftData('recorded-3.9', 'imagestream.json')`. */
export function openshiftData(...parts: string[]): string {
  return path.join(openshiftDataDir, ...parts)
}

/** A JSON file of the data, parsed. */
export function readOpenShiftJson(...parts: string[]): any {
  return JSON.parse(readFileSync(openshiftData(...parts), 'utf8'))
}
