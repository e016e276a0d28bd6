/**
 * The 29 commands by name, with their one-line summaries, without loading their modules:
 * `monasca help` lists them and a command loads only its own group.
 */
import type { CliContext } from '../client-types.js'
import type { CommandSpec } from '../spec.js'
import { editDistance } from '../../node/edit-distance.js'

type Group = 'metrics' | 'notifications' | 'alarm-definitions' | 'alarms'

/** [name, group, summary] in the Python client's order. */
export const COMMANDS: ReadonlyArray<readonly [string, Group, string]> = [
  ['metric-create', 'metrics', 'Create metric.'],
  ['metric-create-raw', 'metrics', 'Create metric from raw json body.'],
  ['metric-name-list', 'metrics', 'List names of metrics.'],
  ['metric-list', 'metrics', 'List metrics for this tenant.'],
  ['dimension-name-list', 'metrics', 'List names of metric dimensions.'],
  ['dimension-value-list', 'metrics', 'List names of metric dimensions.'],
  ['measurement-list', 'metrics', 'List measurements for the specified metric.'],
  ['metric-statistics', 'metrics', 'List measurement statistics for the specified metric.'],
  ['notification-create', 'notifications', 'Create notification.'],
  ['notification-show', 'notifications', 'Describe the notification.'],
  ['notification-list', 'notifications', 'List notifications for this tenant.'],
  ['notification-delete', 'notifications', 'Delete notification.'],
  ['notification-update', 'notifications', 'Update notification.'],
  ['notification-patch', 'notifications', 'Patch notification.'],
  ['alarm-definition-create', 'alarm-definitions', 'Create an alarm definition.'],
  ['alarm-definition-show', 'alarm-definitions', 'Describe the alarm definition.'],
  ['alarm-definition-list', 'alarm-definitions', 'List alarm definitions for this tenant.'],
  ['alarm-definition-delete', 'alarm-definitions', 'Delete the alarm definition.'],
  ['alarm-definition-update', 'alarm-definitions', 'Update the alarm definition.'],
  ['alarm-definition-patch', 'alarm-definitions', 'Patch the alarm definition.'],
  ['alarm-list', 'alarms', 'List alarms for this tenant.'],
  ['alarm-show', 'alarms', 'Describe the alarm.'],
  ['alarm-update', 'alarms', 'Update the alarm state.'],
  ['alarm-patch', 'alarms', 'Patch the alarm state.'],
  ['alarm-delete', 'alarms', 'Delete the alarm.'],
  ['alarm-count', 'alarms', 'Count alarms.'],
  ['alarm-history', 'alarms', 'Alarm state transition history.'],
  ['alarm-history-list', 'alarms', 'List alarms state history.'],
  ['notification-type-list', 'notifications', 'List notification types supported by monasca.'],
]

async function loadGroup(group: Group): Promise<CommandSpec<CliContext>[]> {
  switch (group) {
    case 'metrics':
      return (await import('./metrics.js')).commands
    case 'notifications':
      return (await import('./notifications.js')).commands
    case 'alarm-definitions':
      return (await import('./alarm-definitions.js')).commands
    case 'alarms':
      return (await import('./alarms.js')).commands
  }
}

/** The command's spec, or undefined for an unknown name. */
export async function loadCommand(name: string): Promise<CommandSpec<CliContext> | undefined> {
  const entry = COMMANDS.find(([n]) => n === name)
  if (!entry) return undefined
  return (await loadGroup(entry[1])).find((c) => c.name === name)
}

/** Names close to a mistyped one (shared prefix or small edit distance), for "Did you mean". */
export function similarCommands(name: string): string[] {
  return COMMANDS.map(([n]) => n).filter((n) => n.startsWith(name) || editDistance(n, name) <= Math.max(2, Math.floor(name.length / 4)))
}
