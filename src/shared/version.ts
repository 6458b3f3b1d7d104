/** The version of this action (kept equal to package.json's by a test): `client_version` and the User-Agent. */
export const VERSION = '0.1.0'
