/**
 * The services a build reaches besides the API, the registries and Koji: the mail server (`sendmail`'s
 * `smtp_host`) and the yum repositories (`add_yum_repo_by_url`'s `.repo` URLs), each on 127.0.0.1, each on unless
 * the options turn it off.
 */
import { MailServer } from '../mail/smtp.js'
import { YumRepos } from '../yum/repo-server.js'
import type { ClusterOptions } from './options.js'

export interface BuildServices {
  mail?: MailServer
  yum?: YumRepos
  close(): Promise<void>
}

export async function startBuildServices(options: ClusterOptions): Promise<BuildServices> {
  const mail = options.mail === false ? undefined : new MailServer()
  const yum = options.yum === false ? undefined : new YumRepos()
  const close = async () => {
    await mail?.close()
    await yum?.close()
  }
  try {
    await mail?.start()
    await yum?.start()
  } catch (err) {
    await close()
    throw err
  }
  return { mail, yum, close }
}
