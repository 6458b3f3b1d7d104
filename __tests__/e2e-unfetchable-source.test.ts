/**
 * End to end: a build whose source cannot be fetched, through `node dist/index.js` against the local OpenShift. A
 * pull request's head commit deleted from the fork (pushed over, then pruned) and a git-uri that names no
 * repository: the build fails at the clone, before any plugin runs, and the step says which commit or branch could
 * not be fetched from which repository, what git said and what to do, instead of only "Build … ended Failed".
 */
import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { errorAnnotations, runAction } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, git, makeRepo } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 1 })
const tmp = makeTempDir('osbs-unfetchable-')

describe('a source that cannot be fetched', () => {
  it("a pull request's head commit deleted from the fork: the step names the commit, the fork and what to do", async () => {
    const base = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0') })
    const forkDir = path.join(tmp, 'fork')
    git(tmp, 'clone', '-q', base.dir, forkDir)
    git(forkDir, 'checkout', '-q', '-b', 'patch')
    const head = commitFiles({ dir: forkDir, uri: `file://${forkDir}`, branch: 'patch', commit: '' }, { 'patch.txt': 'the pull request\n' }, 'patch')
    // the runner checked the head out; then the fork's branch was pushed over and the commit pruned
    const checkout = makeRepo(path.join(tmp, 'runner'), { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0') })
    git(forkDir, 'reset', '-q', '--hard', 'HEAD~1')
    git(forkDir, 'reflog', 'expire', '--expire=now', '--all')
    git(forkDir, 'gc', '-q', '--prune=now')
    expect(() => git(forkDir, 'cat-file', '-e', head.commit)).toThrow()

    const event = path.join(tmp, 'event.json')
    writeFileSync(
      event,
      JSON.stringify({
        number: 9,
        pull_request: { number: 9, head: { ref: 'patch', sha: head.commit, repo: { full_name: 'alice/app', clone_url: head.uri } }, base: { ref: 'main', repo: { full_name: 'acme/app' } } },
        repository: { full_name: 'acme/app', name: 'app', owner: { login: 'acme' } }
      })
    )
    const run = await runAction({
      checkout,
      repository: 'acme/app',
      inputs: local.inputs({ 'git-uri': '' }),
      env: { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: event, GITHUB_REF: 'refs/pull/9/merge', GITHUB_SHA: 'f'.repeat(40) }
    })
    expect(run.code).toBe(1)
    expect(run.outputs['build-kind']).toBe('scratch')
    expect(run.outputs['build-status']).toBe('Failed')
    // the build log's own error lines, then the step's explanation
    expect(errorAnnotations(run.stdout).slice(-1)).toEqual([
      `The build could not fetch commit ${head.commit} from ${head.uri}: the repository has no such commit (git: fatal: Could not parse object '${head.commit}'.). ` +
        "The head of pull request #9 is no longer there (pushed over, or its branch or fork deleted) or git-uri names another repository: run the workflow again on the pull request's current head, or correct input git-uri"
    ])
  })

  it('a git-uri that names no repository: the step names the branch, the URI and the input to correct', async () => {
    const repo = makeRepo(path.join(tmp, 'widget'), { Dockerfile: dockerfile('fedora:latest', 'acme/widget', '1.0') })
    const wrong = `file://${path.join(tmp, 'no-such-repository')}`
    const run = await runAction({ checkout: repo, repository: 'acme/widget', inputs: local.inputs({ 'git-uri': wrong }) })
    expect(run.code).toBe(1)
    expect(run.outputs['build-status']).toBe('Failed')
    expect(errorAnnotations(run.stdout).slice(-1)).toEqual([
      `The build could not fetch branch main from ${wrong}: the repository could not be read (git: fatal: '${path.join(tmp, 'no-such-repository')}' does not appear to be a git repository). ` +
        "Check input git-uri: it must be a URL the cluster's builds can clone"
    ])
  })
})
