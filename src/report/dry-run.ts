/**
 * dry-run: true (SPEC §2): show what would be written, set the outputs that are known without a build, and
 * write a job summary. No request is made.
 */
import { buildConfigJson } from './outputs.js'
import type { BuildPlan } from '../plan/plan.js'
import type { Reporter } from '../shared/reporter.js'
import { kindTitle } from '../plan/kind.js'
import { imageStreamRepository } from '../render/image-stream.js'

/** The outputs a dry run sets. `build-config-json` is the rendered BuildConfig (the plugin JSON stays a string). */
export function dryRunOutputs(plan: BuildPlan): Record<string, string> {
  return {
    'build-config': plan.buildConfigName,
    'build-kind': plan.kind,
    autorebuild: String(plan.autorebuild.enabled),
    'base-image': plan.baseImage ?? '',
    'base-image-stream-tag': plan.baseImageStreamTag ?? '',
    // A scratch or isolated build writes no BuildConfig.
    ...(plan.build ? {} : { 'build-config-json': buildConfigJson(plan.buildConfig) })
  }
}

/** What is written: the BuildConfig (a branch build) or the Build posted directly, and its title. */
function written(plan: BuildPlan): { title: string; object: object } {
  return plan.build ? { title: `Build ${plan.build.metadata.name} (posted directly)`, object: plan.build } : { title: `BuildConfig ${plan.buildConfigName}`, object: plan.buildConfig }
}

/** Prints the BuildConfig and the decoded plugin list in log groups, and sets the outputs. */
export function reportDryRun(plan: BuildPlan, reporter: Reporter): void {
  const { settings } = plan
  reporter.info(`Dry run: nothing is written to ${settings.connection.server ?? 'the cluster'}.`)
  const what = written(plan)
  reporter.info(`Kind: ${kindTitle(settings)}`)
  reporter.info(`${what.title} in namespace ${settings.namespace}`)
  reporter.info(`Base image: ${plan.baseImage ?? 'none (FROM scratch)'}`)
  reporter.info(`Autorebuild: ${plan.autorebuild.enabled ? 'on' : 'off'}, ${plan.autorebuild.reason}`)
  reporter.info(`Output image: ${plan.outputImage}`)
  reporter.startGroup(what.title)
  reporter.info(JSON.stringify(what.object, null, 2))
  reporter.endGroup()
  reporter.startGroup('ATOMIC_REACTOR_PLUGINS (decoded)')
  reporter.info(JSON.stringify(plan.plugins, null, 2))
  reporter.endGroup()
  if (plan.imageStreamObject) {
    reporter.startGroup(`ImageStream ${plan.imageStream} (written after a Complete build)`)
    reporter.info(JSON.stringify(plan.imageStreamObject, null, 2))
    reporter.endGroup()
  }
  for (const [name, value] of Object.entries(dryRunOutputs(plan))) reporter.setOutput(name, value)
}

function escapeCell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

/** The job summary of a dry run, as Markdown. */
export function dryRunSummary(plan: BuildPlan): string {
  const { settings } = plan
  const what = written(plan)
  const rows: [string, string][] = [
    ['Kind', kindTitle(settings)],
    plan.build ? ['Build', `\`${plan.build.metadata.name}\` (no BuildConfig)`] : ['BuildConfig', `\`${plan.buildConfigName}\``],
    ['Namespace', `\`${settings.namespace}\``],
    ['Source', `\`${settings.git.uri}\` branch \`${settings.git.branch}\` commit \`${settings.git.commit}\``],
    ['Base image', plan.baseImage ? `\`${plan.baseImage}\`` : 'none (`FROM scratch`)'],
    ['Base ImageStreamTag', plan.baseImageStreamTag ? `\`${plan.baseImageStreamTag}\`` : '—'],
    ['Autorebuild', `${plan.autorebuild.enabled ? 'on' : 'off'}: ${plan.autorebuild.reason}`],
    ['Image', `\`${plan.outputImage}\``],
    [
      'ImageStream',
      plan.imageStreamObject
        ? `\`${plan.imageStream}\`: ${plan.imageStreamObject.spec.tags.map((t) => `\`${t.name}\``).join(', ')} from \`${imageStreamRepository(plan.settings, plan.labels.name)}\``
        : '— (no registry)'
    ],
    ['Secrets', plan.secrets.length ? plan.secrets.map((s) => `\`${s.name}\``).join(', ') : '—']
  ]
  const phases = (['prebuild_plugins', 'prepublish_plugins', 'postbuild_plugins', 'exit_plugins'] as const)
    .map((phase) => `| ${phase} | ${plan.plugins[phase].map((p) => `\`${p.name}\``).join(', ') || '—'} |`)
    .join('\n')
  const lines = [
    `## Dry run: ${what.title}`,
    '',
    'Nothing was written to the cluster.',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${escapeCell(v)} |`),
    '',
    '| phase | plugins |',
    '|---|---|',
    phases,
    ''
  ]
  for (const notice of plan.notices) lines.push(`> [!NOTE]\n> ${notice}\n`)
  for (const warning of plan.warnings) lines.push(`> [!WARNING]\n> ${warning.message}\n`)
  lines.push(`<details><summary>${what.title}</summary>`, '', '```json', JSON.stringify(what.object, null, 2), '```', '', '</details>', '')
  lines.push('<details><summary>ATOMIC_REACTOR_PLUGINS (decoded)</summary>', '', '```json', JSON.stringify(plan.plugins, null, 2), '```', '', '</details>', '')
  if (plan.imageStreamObject)
    lines.push(
      `<details><summary>ImageStream ${plan.imageStream} (written after a Complete build)</summary>`,
      '',
      '```json',
      JSON.stringify(plan.imageStreamObject, null, 2),
      '```',
      '',
      '</details>',
      ''
    )
  return lines.join('\n')
}
