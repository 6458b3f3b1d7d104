/**
 * koji_util.tag_koji_build: the target's destination tag (`getBuildTarget`), `tagBuild` into it, and the task
 * watched as TaskWatcher does (`taskFinished` every `poll_interval` seconds, then `getTaskInfo`); a CANCELED or
 * FAILED task is a RuntimeError. Used by koji_tag_build, and by koji_promote when no koji_tag_build follows it.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { TASK_STATES } from '../../koji/data.js'
import type { Workflow } from '../workflow.js'
import type { KojiSession } from './koji-session.js'
import { PyException } from './py.js'

export async function tagKojiBuild(wf: Workflow, session: KojiSession, buildId: number, target: string, pollInterval: number): Promise<string> {
  const log = wf.log.logger('atomic_reactor.koji_util')
  log.debug(`Finding build tag for target ${target}`)
  const targetInfo = (await session.call('getBuildTarget', [target])) as Record<string, unknown> | null
  if (!targetInfo) throw new PyException('TypeError', "'NoneType' object is not subscriptable")
  const buildTag = String(targetInfo.dest_tag_name)
  log.info(`Tagging build with ${buildTag}`)
  const taskId = (await session.call('tagBuild', [buildTag, buildId])) as number
  log.debug(`waiting for koji task ${taskId} to finish`)
  while (!(await session.call('taskFinished', [taskId]))) await sleep(pollInterval * 1000, undefined, { signal: wf.host.signal })
  log.debug('koji task is finished, getting info')
  const info = (await session.call('getTaskInfo', [taskId, { request: true, __starstar: true }])) as Record<string, unknown>
  const state = Number(info.state)
  if (state === TASK_STATES.CANCELED || state === TASK_STATES.FAILED) throw new PyException('RuntimeError', `Task ${taskId} failed to tag koji build`)
  return buildTag
}
