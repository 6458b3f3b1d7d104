/** Defaults of inputs that parsing fills in itself (build-json-dir and timeout-minutes are also written in action.yml). */
export const DEFAULT_BUILD_IMAGE = 'buildroot:latest'
export const DEFAULT_BUILD_JSON_DIR = '/usr/share/osbs'
export const DEFAULT_TIMEOUT_MINUTES = 120
