/** alarm-list/show/update/patch/delete/count/history/history-list. */
// The SDK's parameter types: the CLI's values (the Python client's) go to the SDK, which checks them.
import type { AlarmUpdate } from '../../types.js'
import type { CliContext, Json, Params } from '../client-types.js'
import {
  ALARM_SORT_BY, checkGroupBy, checkSeverity, checkSortBy, checkState, dimensionsQuery, dimensionsString,
  keyValuePairs, translateStartTime,
} from '../params.js'
import { formatDictList, pyJson, pyStr } from '../pyformat.js'
import { flag, list, pos, str, type CommandSpec, type OptionSpec, type ParsedArgs } from '../spec.js'
import { renderTable } from '../table.js'
import {
  ALL_OPTION, addIfGiven, jsonCell, showTable, dimensionsQueryOption, endTimeOption, limitOption, listOutput, offsetOption,
  printResponse, severityFilterOption,
} from './shared.js'

type Command = CommandSpec<CliContext>

const idPositional = { name: 'id', metavar: '<ALARM_ID>', help: 'The ID of the alarm.' }
const stateHelp = 'ALARM_STATE is one of [UNDETERMINED, OK, ALARM].'
const linkHelp = 'A link to an external resource with information about the alarm.'

const filterOptions: OptionSpec[] = [
  { flag: '--alarm-definition-id', metavar: '<ALARM_DEFINITION_ID>', help: 'The ID of the alarm definition.' },
  { flag: '--metric-name', metavar: '<METRIC_NAME>', help: 'Name of the metric.' },
  {
    flag: '--metric-dimensions', metavar: '<KEY1=VALUE1,KEY2,KEY3=VALUE2...>', multiple: true,
    help: 'key value pair used to specify a metric dimension or just key to select all values of that dimension.This can be specified multiple times, or once with parameters separated by a comma. Dimensions need quoting when they contain special chars [&,(,),{,},>,<] that confuse the CLI parser.',
  },
  { flag: '--state', metavar: '<ALARM_STATE>', help: stateHelp },
  severityFilterOption,
  { flag: '--state-updated-start-time', metavar: '<UTC_STATE_UPDATED_START>', help: 'Return all alarms whose state was updated on or after the time specified.' },
  { flag: '--lifecycle-state', metavar: '<LIFECYCLE_STATE>', help: 'The lifecycle state of the alarm.' },
  { flag: '--link', metavar: '<LINK>', help: 'The link to external data associated with the alarm.' },
]

/** The filters alarm-list and alarm-count share, in the Python client's order. */
function filterParams(args: ParsedArgs): Params {
  const params: Params = {}
  addIfGiven(params, 'alarm_definition_id', str(args, 'alarm-definition-id'))
  addIfGiven(params, 'metric_name', str(args, 'metric-name'))
  addIfGiven(params, 'metric_dimensions', dimensionsQuery(list(args, 'metric-dimensions')))
  const state = str(args, 'state')
  if (state) params['state'] = checkState(state)
  const severity = str(args, 'severity')
  if (severity) params['severity'] = checkSeverity(severity, true)
  addIfGiven(params, 'state_updated_start_time', str(args, 'state-updated-start-time'))
  addIfGiven(params, 'lifecycle_state', str(args, 'lifecycle-state'))
  addIfGiven(params, 'link', str(args, 'link'))
  return params
}

function metricsOf(item: Json): Json[] {
  const metrics = item['metrics']
  return Array.isArray(metrics) ? (metrics as Json[]) : []
}

/** Metric names padded with blank lines so each lines up with its first dimension. */
function metricNameCell(metrics: Json[]): string {
  const lines: string[] = []
  for (const m of metrics) {
    lines.push(pyStr(m['name']))
    const dims = m['dimensions'] && typeof m['dimensions'] === 'object' ? Object.keys(m['dimensions']).length : 0
    for (let i = 0; i < dims - 1; i++) lines.push(' ')
  }
  return lines.join('\n')
}

function metricDimensionsCell(metrics: Json[]): string {
  return metrics
    .flatMap((m) => Object.entries(m['dimensions'] && typeof m['dimensions'] === 'object' ? m['dimensions'] : {}).map(([k, v]) => `${k}: ${pyStr(v)}`))
    .join('\n')
}

function definitionField(alarm: Json, key: string): string {
  const def = alarm['alarm_definition']
  return pyStr(def && typeof def === 'object' ? (def as Json)[key] : undefined)
}

const alarmList: Command = {
  name: 'alarm-list',
  summary: 'List alarms for this tenant.',
  notes: 'An invalid --state, --severity or --sort-by is refused with exit status 2 and nothing is sent (the Python client prints on stdout and exits 0, or warns and sends). --severity takes several values joined with |, as the server does.',
  positionals: [],
  options: [
    ...filterOptions,
    {
      flag: '--sort-by', metavar: '<SORT BY FIELDS>',
      help: 'Fields to sort by as a comma separated list. Valid values are alarm_id, alarm_definition_id, state, severity, lifecycle_state, link, state_updated_timestamp, updated_timestamp, created_timestamp. Fields may be followed by "asc" or "desc", ex "severity desc", to set the direction of sorting.',
    },
    offsetOption, limitOption, ALL_OPTION,
  ],
  async run(ctx, args) {
    const params = filterParams(args)
    addIfGiven(params, 'limit', str(args, 'limit'))
    addIfGiven(params, 'offset', str(args, 'offset'))
    const sortBy = str(args, 'sort-by')
    if (sortBy) params['sort_by'] = checkSortBy(sortBy, ALARM_SORT_BY, true)
    const client = await ctx.client()
    await listOutput(ctx, args, client.alarms.list(params), {
      headers: [
        'id', 'alarm_definition_id', 'alarm_definition_name', 'metric_name', 'metric_dimensions', 'severity', 'state',
        'lifecycle_state', 'link', 'state_updated_timestamp', 'updated_timestamp', 'created_timestamp',
      ],
      row: (a) => [
        pyStr(a['id']),
        definitionField(a, 'id'),
        definitionField(a, 'name'),
        metricNameCell(metricsOf(a)),
        metricDimensionsCell(metricsOf(a)),
        definitionField(a, 'severity'),
        ...['state', 'lifecycle_state', 'link', 'state_updated_timestamp', 'updated_timestamp', 'created_timestamp'].map((k) => pyStr(a[k])),
      ],
    })
  },
}

const alarmShow: Command = {
  name: 'alarm-show',
  summary: 'Describe the alarm.',
  positionals: [idPositional],
  options: [],
  async run(ctx, args) {
    const client = await ctx.client()
    const alarm = await client.alarms.get(pos(args, 'id'))
    if (flag(args, 'json')) return ctx.out(pyJson(alarm))
    ctx.out(showTable(alarm, { id: jsonCell, alarm_definition: jsonCell, metrics: jsonCell, state: jsonCell, links: formatDictList }))
  },
}

const alarmUpdate: Command = {
  name: 'alarm-update',
  summary: 'Update the alarm state.',
  notes: 'An invalid <ALARM_STATE> is refused with exit status 2 (the Python client prints on stdout and exits 0). The state is sent upper-cased: the server only takes OK, ALARM or UNDETERMINED in a body (the Python client sends it as typed and gets a 422).',
  positionals: [
    idPositional,
    { name: 'state', metavar: '<ALARM_STATE>', help: stateHelp },
    { name: 'lifecycle_state', metavar: '<LIFECYCLE_STATE>', help: 'The lifecycle state of the alarm.' },
    { name: 'link', metavar: '<LINK>', help: linkHelp },
  ],
  options: [],
  async run(ctx, args) {
    const body: Json = { state: checkState(pos(args, 'state')).toUpperCase(), lifecycle_state: pos(args, 'lifecycle_state'), link: pos(args, 'link') }
    const client = await ctx.client()
    printResponse(ctx, await client.alarms.update(pos(args, 'id'), body as AlarmUpdate))
  },
}

const alarmPatch: Command = {
  name: 'alarm-patch',
  summary: 'Patch the alarm state.',
  notes: 'An invalid --state is refused with exit status 2 (the Python client prints on stdout and exits 0). The state is sent upper-cased: the server only takes OK, ALARM or UNDETERMINED in a body (the Python client sends it as typed and gets a 422).',
  positionals: [idPositional],
  options: [
    { flag: '--state', metavar: '<ALARM_STATE>', help: stateHelp },
    { flag: '--lifecycle-state', metavar: '<LIFECYCLE_STATE>', help: 'The lifecycle state of the alarm.' },
    { flag: '--link', metavar: '<LINK>', help: linkHelp },
  ],
  async run(ctx, args) {
    const body: Json = {}
    const state = str(args, 'state')
    if (state) body['state'] = checkState(state).toUpperCase()
    addIfGiven(body, 'lifecycle_state', str(args, 'lifecycle-state'))
    addIfGiven(body, 'link', str(args, 'link'))
    const client = await ctx.client()
    printResponse(ctx, await client.alarms.patch(pos(args, 'id'), body))
  },
}

const alarmDelete: Command = {
  name: 'alarm-delete',
  summary: 'Delete the alarm.',
  positionals: [idPositional],
  options: [],
  async run(ctx, args) {
    const client = await ctx.client()
    await client.alarms.delete(pos(args, 'id'))
    ctx.out('Successfully deleted alarm')
  },
}

const alarmCount: Command = {
  name: 'alarm-count',
  summary: 'Count alarms.',
  notes: 'An invalid --state, --severity or --group-by is refused with exit status 2 (the Python client prints on stdout and exits 0).',
  positionals: [],
  options: [
    ...filterOptions,
    {
      flag: '--group-by', metavar: '<GROUP_BY>',
      help: 'Comma separated list of one or more fields to group the results by. Group by is one or more of [alarm_definition_id, name, state, link, lifecycle_state, metric_name, dimension_name, dimension_value].',
    },
    offsetOption, limitOption,
  ],
  async run(ctx, args) {
    const params = filterParams(args)
    const groupBy = str(args, 'group-by')
    if (groupBy) params['group_by'] = checkGroupBy(groupBy)
    addIfGiven(params, 'limit', str(args, 'limit'))
    addIfGiven(params, 'offset', str(args, 'offset'))
    const client = await ctx.client()
    const counts = (await client.alarms.count(params)) as Json
    if (flag(args, 'json')) return ctx.out(pyJson(counts))
    const columns = Array.isArray(counts['columns']) ? (counts['columns'] as unknown[]).map(pyStr) : []
    const rows = Array.isArray(counts['counts']) ? (counts['counts'] as unknown[][]) : []
    ctx.out(renderTable(columns, rows.map((r) => columns.map((_, i) => pyStr(r[i])))))
  },
}

const historyView = {
  headers: ['alarm_id', 'new_state', 'old_state', 'reason', 'reason_data', 'metric_name', 'metric_dimensions', 'timestamp'],
  row: (h: Json) => [
    ...['alarm_id', 'new_state', 'old_state', 'reason', 'reason_data'].map((k) => pyStr(h[k])),
    metricNameCell(metricsOf(h)),
    metricDimensionsCell(metricsOf(h)),
    pyStr(h['timestamp']),
  ],
}

const alarmHistory: Command = {
  name: 'alarm-history',
  summary: 'Alarm state transition history.',
  positionals: [idPositional],
  options: [offsetOption, limitOption, ALL_OPTION],
  async run(ctx, args) {
    const params: Params = {}
    addIfGiven(params, 'limit', str(args, 'limit'))
    addIfGiven(params, 'offset', str(args, 'offset'))
    const client = await ctx.client()
    await listOutput(ctx, args, client.alarms.history(pos(args, 'id'), params), historyView)
  },
}

const alarmHistoryList: Command = {
  name: 'alarm-history-list',
  summary: 'List alarms state history.',
  notes: 'Every --dimensions item needs key=value (as in the Python client); a malformed one exits 2.',
  positionals: [],
  options: [
    dimensionsQueryOption(),
    { flag: '--starttime', metavar: '<UTC_START_TIME>', help: 'measurements >= UTC time. format: 2014-01-01T00:00:00Z. OR format: -120 (previous 120 minutes).' },
    endTimeOption, offsetOption, limitOption, ALL_OPTION,
  ],
  async run(ctx, args) {
    const params: Params = {}
    const dims = list(args, 'dimensions')
    if (dims && dims.length > 0) params['dimensions'] = dimensionsString(keyValuePairs(dims, '--dimensions', 'last'))
    const start = str(args, 'starttime')
    if (start) params['start_time'] = translateStartTime(start, ctx.now())
    addIfGiven(params, 'end_time', str(args, 'endtime'))
    addIfGiven(params, 'limit', str(args, 'limit'))
    addIfGiven(params, 'offset', str(args, 'offset'))
    const client = await ctx.client()
    await listOutput(ctx, args, client.alarms.historyList(params), historyView)
  },
}

export const commands: Command[] = [alarmList, alarmShow, alarmUpdate, alarmPatch, alarmDelete, alarmCount, alarmHistory, alarmHistoryList]
