/** State keys the main step saves for the post step (`core.saveState` / `core.getState`). */
export const STATE_BUILD_NAME = 'build-name'
export const STATE_BUILD_FINISHED = 'build-finished'
/** `wait: false`: the run started the build and deliberately left it running; the post step leaves it alone. */
export const STATE_BUILD_LEFT_RUNNING = 'build-left-running'
