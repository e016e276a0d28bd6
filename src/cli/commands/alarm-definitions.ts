/** alarm-definition-*. */
// The SDK's parameter types: the CLI's values (the Python client's) go to the SDK, which checks them.
import { parseExpression } from '../../expression/index.js'
import type { AlarmDefinitionCreate, AlarmDefinitionUpdate } from '../../types.js'
import type { CliContext, Json } from '../client-types.js'
import {
  checkSeverity, checkSortBy, DEFINITION_SORT_BY, dimensionsQuery, parseActionsEnabled, splitIdList,
} from '../params.js'
import { formatDictList, formatExpressionData, pyJson, pyStr } from '../pyformat.js'
import { flag, list, pos, str, type CommandSpec, type OptionSpec } from '../spec.js'
import {
  ALL_OPTION, addIfGiven, jsonCell, showTable, dimensionsQueryOption, limitOption, listOutput, offsetOption, printResponse,
  severityFilterOption,
} from './shared.js'

type Command = CommandSpec<CliContext>

const idPositional = { name: 'id', metavar: '<ALARM_DEFINITION_ID>', help: 'The ID of the alarm definition.' }
const severityHelp = 'Severity is one of [LOW, MEDIUM, HIGH, CRITICAL].'
const expressionHelp = 'The alarm expression to evaluate. Quoted.'

/**
 * The expression through the SDK's full parser before anything is sent (the SDK itself only checks
 * its structure, to stay small in pages): an ExpressionError is refused with exit 2, and shown with the
 * server's words, a plain sentence and a caret under the column.
 */
function checkedExpression(expression: string): string {
  parseExpression(expression)
  return expression
}
const matchByHelp = 'The metric dimensions to use to create unique alarms. One or more dimension key names separated by a comma. Key names need quoting when they contain special chars [&,(,),{,},>,<] that confuse the CLI parser.'
const actionOptions = (): OptionSpec[] =>
  (['ALARM', 'OK', 'UNDETERMINED'] as const).map((state) => ({
    flag: `--${state === 'ALARM' ? 'alarm' : state.toLowerCase()}-actions`,
    metavar: '<NOTIFICATION-ID>',
    help: `The notification method to use when an alarm state is ${state}. This param may be specified multiple times.`,
    multiple: true,
  }))

const definitionCreate: Command = {
  name: 'alarm-definition-create',
  summary: 'Create an alarm definition.',
  notes: 'An invalid --severity is refused with exit status 2 (the Python client prints the message on stdout and exits 0).',
  positionals: [
    { name: 'name', metavar: '<ALARM_DEFINITION_NAME>', help: 'Name of the alarm definition to create.' },
    { name: 'expression', metavar: '<EXPRESSION>', help: expressionHelp },
  ],
  options: [
    { flag: '--description', metavar: '<DESCRIPTION>', help: 'Description of the alarm.' },
    { flag: '--severity', metavar: '<SEVERITY>', help: severityHelp },
    { flag: '--match-by', metavar: '<MATCH_BY_DIMENSION_KEY1,MATCH_BY_DIMENSION_KEY2,...>', help: matchByHelp },
    ...actionOptions(),
  ],
  async run(ctx, args) {
    const body: Json = { name: pos(args, 'name') }
    addIfGiven(body, 'description', str(args, 'description'))
    body['expression'] = pos(args, 'expression')
    for (const key of ['alarm', 'ok', 'undetermined'] as const) {
      const actions = list(args, `${key}-actions`)
      if (actions && actions.length > 0) body[`${key}_actions`] = actions
    }
    const severity = str(args, 'severity')
    if (severity) body['severity'] = checkSeverity(severity)
    const matchBy = str(args, 'match-by')
    if (matchBy) body['match_by'] = matchBy.split(',')
    checkedExpression(pos(args, 'expression'))
    const client = await ctx.client()
    printResponse(ctx, await client.alarmDefinitions.create(body as AlarmDefinitionCreate))
  },
}

const definitionShow: Command = {
  name: 'alarm-definition-show',
  summary: 'Describe the alarm definition.',
  positionals: [idPositional],
  options: [],
  async run(ctx, args) {
    const client = await ctx.client()
    const definition = await client.alarmDefinitions.get(pos(args, 'id'))
    if (flag(args, 'json')) return ctx.out(pyJson(definition))
    const asJson = ['name', 'id', 'expression', 'match_by', 'actions_enabled', 'alarm_actions', 'ok_actions', 'severity', 'undetermined_actions', 'description']
    ctx.out(
      showTable(definition, {
        ...Object.fromEntries(asJson.map((k) => [k, jsonCell])),
        expression_data: formatExpressionData,
        links: formatDictList,
      }),
    )
  },
}

const definitionList: Command = {
  name: 'alarm-definition-list',
  summary: 'List alarm definitions for this tenant.',
  notes: 'match_by is shown one key per line (the Python client prints b\'...\'). An invalid --severity or --sort-by is refused with exit status 2 and nothing is sent.',
  positionals: [],
  options: [
    { flag: '--name', metavar: '<ALARM_DEFINITION_NAME>', help: 'Name of the alarm definition.' },
    dimensionsQueryOption(),
    severityFilterOption,
    {
      flag: '--sort-by', metavar: '<SORT BY FIELDS>',
      help: 'Fields to sort by as a comma separated list. Valid values are id, name, severity, created_at, updated_at. Fields may be followed by "asc" or "desc", ex "severity desc", to set the direction of sorting.',
    },
    offsetOption, limitOption, ALL_OPTION,
  ],
  async run(ctx, args) {
    const params: Record<string, unknown> = {}
    addIfGiven(params, 'name', str(args, 'name'))
    addIfGiven(params, 'dimensions', dimensionsQuery(list(args, 'dimensions')))
    const severity = str(args, 'severity')
    if (severity) params['severity'] = checkSeverity(severity, true)
    const sortBy = str(args, 'sort-by')
    if (sortBy) params['sort_by'] = checkSortBy(sortBy, DEFINITION_SORT_BY, false)
    addIfGiven(params, 'limit', str(args, 'limit'))
    addIfGiven(params, 'offset', str(args, 'offset'))
    const client = await ctx.client()
    await listOutput(ctx, args, client.alarmDefinitions.list(params), {
      headers: ['name', 'id', 'expression', 'match_by', 'actions_enabled'],
      row: (d) => [
        pyStr(d['name']),
        pyStr(d['id']),
        pyStr(d['expression']),
        Array.isArray(d['match_by']) ? (d['match_by'] as unknown[]).map(pyStr).join('\n') : pyStr(d['match_by']),
        pyStr(d['actions_enabled']),
      ],
    })
  },
}

const definitionDelete: Command = {
  name: 'alarm-definition-delete',
  summary: 'Delete the alarm definition.',
  positionals: [idPositional],
  options: [],
  async run(ctx, args) {
    const client = await ctx.client()
    await client.alarmDefinitions.delete(pos(args, 'id'))
    ctx.out('Successfully deleted alarm definition')
  },
}

const definitionUpdate: Command = {
  name: 'alarm-definition-update',
  summary: 'Update the alarm definition.',
  notes: 'An invalid <ACTIONS-ENABLED> or <SEVERITY> is refused with exit status 2 (the Python client prints the message on stdout and exits 0).',
  positionals: [
    idPositional,
    { name: 'name', metavar: '<ALARM_DEFINITION_NAME>', help: 'Name of the alarm definition.' },
    { name: 'description', metavar: '<DESCRIPTION>', help: 'Description of the alarm.' },
    { name: 'expression', metavar: '<EXPRESSION>', help: expressionHelp },
    { name: 'alarm_actions', metavar: '<ALARM-NOTIFICATION-ID1,ALARM-NOTIFICATION-ID2,...>', help: 'The notification method(s) to use when an alarm state is ALARM as a comma separated list.' },
    { name: 'ok_actions', metavar: '<OK-NOTIFICATION-ID1,OK-NOTIFICATION-ID2,...>', help: 'The notification method(s) to use when an alarm state is OK as a comma separated list.' },
    { name: 'undetermined_actions', metavar: '<UNDETERMINED-NOTIFICATION-ID1,UNDETERMINED-NOTIFICATION-ID2,...>', help: 'The notification method(s) to use when an alarm state is UNDETERMINED as a comma separated list.' },
    { name: 'actions_enabled', metavar: '<ACTIONS-ENABLED>', help: 'The actions-enabled boolean is one of [true,false]' },
    { name: 'match_by', metavar: '<MATCH_BY_DIMENSION_KEY1,MATCH_BY_DIMENSION_KEY2,...>', help: matchByHelp },
    { name: 'severity', metavar: '<SEVERITY>', help: severityHelp },
  ],
  options: [],
  async run(ctx, args) {
    const body: Json = {
      name: pos(args, 'name'),
      description: pos(args, 'description'),
      expression: pos(args, 'expression'),
      alarm_actions: splitIdList(pos(args, 'alarm_actions')),
      ok_actions: splitIdList(pos(args, 'ok_actions')),
      undetermined_actions: splitIdList(pos(args, 'undetermined_actions')),
      actions_enabled: parseActionsEnabled(pos(args, 'actions_enabled')),
      match_by: splitIdList(pos(args, 'match_by')),
      severity: checkSeverity(pos(args, 'severity')),
    }
    checkedExpression(pos(args, 'expression')) // after the other values, as the Python client checks them first
    const client = await ctx.client()
    printResponse(ctx, await client.alarmDefinitions.update(pos(args, 'id'), body as AlarmDefinitionUpdate))
  },
}

const definitionPatch: Command = {
  name: 'alarm-definition-patch',
  summary: 'Patch the alarm definition.',
  notes: 'An invalid --actions-enabled or --severity is refused with exit status 2 (the Python client prints the message on stdout and exits 0).',
  positionals: [idPositional],
  options: [
    { flag: '--name', metavar: '<ALARM_DEFINITION_NAME>', help: 'Name of the alarm definition.' },
    { flag: '--description', metavar: '<DESCRIPTION>', help: 'Description of the alarm.' },
    { flag: '--expression', metavar: '<EXPRESSION>', help: expressionHelp },
    ...actionOptions(),
    { flag: '--actions-enabled', metavar: '<ACTIONS-ENABLED>', help: 'The actions-enabled boolean is one of [true,false].' },
    { flag: '--severity', metavar: '<SEVERITY>', help: severityHelp },
  ],
  async run(ctx, args) {
    const body: Json = {}
    addIfGiven(body, 'name', str(args, 'name'))
    addIfGiven(body, 'description', str(args, 'description'))
    const expression = str(args, 'expression')
    addIfGiven(body, 'expression', expression === undefined ? undefined : checkedExpression(expression))
    for (const key of ['alarm', 'ok', 'undetermined'] as const) {
      const actions = list(args, `${key}-actions`)
      if (actions && actions.length > 0) body[`${key}_actions`] = splitIdList(actions.join(','))
    }
    const enabled = str(args, 'actions-enabled')
    if (enabled) body['actions_enabled'] = parseActionsEnabled(enabled)
    const severity = str(args, 'severity')
    if (severity) body['severity'] = checkSeverity(severity)
    const client = await ctx.client()
    printResponse(ctx, await client.alarmDefinitions.patch(pos(args, 'id'), body))
  },
}

export const commands: Command[] = [definitionCreate, definitionShow, definitionList, definitionDelete, definitionUpdate, definitionPatch]
