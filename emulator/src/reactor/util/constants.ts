/** Values of `atomic_reactor/constants.py` that more than one plugin uses. */

/** Where yum repo files go in the image. */
export const YUM_REPOS_DIR = '/etc/yum.repos.d/'

/** Where inject_yum_repo puts them beside the Dockerfile for the build to ADD. */
export const RELATIVE_REPOS_PATH = 'atomic-reactor-repos/'
