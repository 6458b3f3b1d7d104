/**
 * What `atomic-reactor inside-build` (`atomic_reactor/cli/main.py`) shows of an exception that ends the run: the
 * `exception caught` line of its logger and Python's traceback, whose frames say where the failure was raised.
 */
import type { ReactorLog } from './util/log.js'
import type { PyException } from './util/py.js'
import { AutoRebuildCanceledException, PluginFailedException } from './workflow.js'

/** Where a failure was raised, for the traceback's last frames. */
export type FailurePoint = 'buildstep' | 'runner' | 'exit' | 'cancel' | 'setup'

const LIB = '/usr/lib/python2.7/site-packages/atomic_reactor'

/** The frames from inner.py's build_docker_image down to where `point` raises. */
const FRAMES: Record<FailurePoint, string[]> = {
  setup: ['    build_result = dbw.build_docker_image()', `  File "${LIB}/inner.py", line 370, in build_docker_image`, '    self.builder = InsideBuilder(self.source, self.image)'],
  buildstep: ['    build_result = dbw.build_docker_image()', `  File "${LIB}/inner.py", line 396, in build_docker_image`, '    raise PluginFailedException(self.build_result.fail_reason)'],
  exit: [
    '    build_result = dbw.build_docker_image()',
    `  File "${LIB}/inner.py", line 437, in build_docker_image`,
    '    exit_runner.run(keep_going=True)',
    `  File "${LIB}/plugin.py", line 305, in run`,
    '    raise PluginFailedException(failed_msgs[0])'
  ],
  cancel: [
    '    build_result = dbw.build_docker_image()',
    `  File "${LIB}/inner.py", line 379, in build_docker_image`,
    '    prebuild_runner.run()',
    `  File "${LIB}/plugin.py", line 242, in run`,
    '    plugin_response = plugin_instance.run()',
    `  File "${LIB}/plugins/pre_stop_autorebuild_if_disabled.py", line 70, in run`,
    "    raise AutoRebuildCanceledException(self.key, 'autorebuild is disabled')"
  ],
  runner: [
    '    build_result = dbw.build_docker_image()',
    `  File "${LIB}/inner.py", line 379, in build_docker_image`,
    '    prebuild_runner.run()',
    `  File "${LIB}/plugin.py", line 282, in run`,
    '    raise PluginFailedException(msg)'
  ]
}

export function traceback(error: PyException, point: FailurePoint = 'setup'): string {
  const module = error instanceof AutoRebuildCanceledException || error instanceof PluginFailedException ? 'atomic_reactor.plugin.' : ''
  const frames = [
    'Traceback (most recent call last):',
    '  File "/usr/bin/atomic-reactor", line 11, in <module>',
    "    load_entry_point('atomic-reactor==1.6.26.3', 'console_scripts', 'atomic-reactor')()",
    `  File "${LIB}/cli/main.py", line 311, in run`,
    '    cli.run()',
    `  File "${LIB}/cli/main.py", line 294, in run`,
    '    args.func(args)',
    `  File "${LIB}/cli/main.py", line 95, in cli_inside_build`,
    '    substitutions=args.substitute)',
    `  File "${LIB}/inner.py", line 482, in build_inside`,
    ...FRAMES[point],
    `${module}${error.pyType}: ${error.message}`
  ]
  return frames.join('\n')
}

/** cli/main.py's `exception caught` line. */
export function exceptionCaught(log: ReactorLog, error: PyException): void {
  log.logger('atomic_reactor.cli.main').error(`exception caught: ${error.repr()}`)
}

/** An exception raised before the build's plugins ran: `exception caught`, then the traceback. */
export function setupFailed(log: ReactorLog, error: PyException): void {
  exceptionCaught(log, error)
  log.raw(traceback(error))
}
