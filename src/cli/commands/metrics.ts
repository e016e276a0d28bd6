/** metric-*, dimension-*, measurement-list and metric-statistics. */
// The SDK's parameter types: the CLI's values (the Python client's) go to the SDK, which checks them.
import type { DimensionValueListParams, MeasurementParams, MetricInput, StatisticsParams } from '../../types.js'
import type { CliContext, Json, Params } from '../client-types.js'
import { seriesCharts } from '../chart.js'
import { UsageError } from '../errors.js'
import { Progress } from '../output.js'
import { dimensionsQuery, parseKeyValues, parseValueMeta, parsePyFloat, parsePyInt, translateStartTime, checkStatistics } from '../params.js'
import { fixed3, formatDict, pyStr } from '../pyformat.js'
import { flag, list, pos, str, type CommandSpec, type OptionSpec, type ParsedArgs } from '../spec.js'
import { renderTable } from '../table.js'
import {
  ALL_OPTION, addIfGiven, dimensionsQueryOption, endTimeOption, limitOption, listOutput, offsetOption,
  startTimeHelp, tenantOption,
} from './shared.js'

type Command = CommandSpec<CliContext>

const mergeMetricsOption: OptionSpec = { flag: '--merge_metrics', help: 'Merge multiple metrics into a single result.', boolean: true }
const groupByOption: OptionSpec = { flag: '--group_by', metavar: '<KEY1,KEY2,...>', help: "Select which keys to use for grouping. A '*' groups by all keys." }
const chartOption: OptionSpec = {
  flag: '--chart',
  help: 'Draw each series in the terminal (block chart, min/max/last, time range) instead of the table. Not in the Python client.',
  boolean: true,
}
const metricNameOption = (help: string): OptionSpec => ({ flag: '--metric-name', metavar: '<METRIC_NAME>', help, multiple: true })

const metricCreate: Command = {
  name: 'metric-create',
  summary: 'Create metric.',
  notes: 'Unlike the Python client, the default timestamp is an integer (milliseconds now), a key given twice in --dimensions is refused (the server takes one string per dimension; a key given twice in --value-meta becomes a list, as in Python), and the value must be a finite number.',
  positionals: [
    { name: 'name', metavar: '<METRIC_NAME>', help: 'Name of the metric to create.' },
    { name: 'value', metavar: '<METRIC_VALUE>', help: 'Metric value.' },
  ],
  options: [
    {
      flag: '--dimensions', metavar: '<KEY1=VALUE1,KEY2=VALUE2...>', multiple: true,
      help: 'key value pair used to create a metric dimension. This can be specified multiple times, or once with parameters separated by a comma. Dimensions need quoting when they contain special chars [&,(,),{,},>,<] that confuse the CLI parser.',
    },
    {
      flag: '--value-meta', metavar: '<KEY1=VALUE1,KEY2=VALUE2...>', multiple: true,
      help: 'key value pair for extra information about a value. This can be specified multiple times, or once with parameters separated by a comma. value_meta need quoting when they contain special chars [&,(,),{,},>,<] that confuse the CLI parser.',
    },
    { flag: '--time', metavar: '<UNIX_TIMESTAMP>', help: 'Metric timestamp in milliseconds. Default: current timestamp.' },
    { flag: '--project-id', metavar: '<CROSS_PROJECT_ID>', help: 'The Project ID to create metric on behalf of. Requires monitoring-delegate role in keystone.' },
  ],
  async run(ctx, args) {
    const value = parsePyFloat(pos(args, 'value'), '<METRIC_VALUE>')
    const time = str(args, 'time')
    const timestamp = time === undefined ? Math.floor(ctx.now()) : parsePyInt(time, '--time')
    const dimensions = parseKeyValues(list(args, 'dimensions'), '--dimensions')
    const valueMeta = parseValueMeta(list(args, 'value-meta'))
    const body: Json = { name: pos(args, 'name') }
    if (dimensions) body['dimensions'] = dimensions
    body['timestamp'] = timestamp
    body['value'] = value
    if (valueMeta) body['value_meta'] = valueMeta
    const params: Params = {}
    addIfGiven(params, 'tenant_id', str(args, 'project-id'))
    const client = await ctx.client()
    await client.metrics.create(body as MetricInput, params)
    ctx.out('Successfully created metric')
  },
}

const metricCreateRaw: Command = {
  name: 'metric-create-raw',
  summary: 'Create metric from raw json body.',
  notes: 'Unlike the Python client, the body may also be a JSON list of metrics (sent as one request).',
  positionals: [{ name: 'jsonbody', metavar: '<JSON_BODY>', help: 'The raw JSON body in single quotes. See api doc.' }],
  options: [],
  async run(ctx, args) {
    const text = pos(args, 'jsonbody')
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new UsageError(`argument <JSON_BODY>: invalid loads value: '${text}'`, true)
    }
    const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)
    if (!(isObject(body) || (Array.isArray(body) && body.every(isObject)))) {
      throw new UsageError('argument <JSON_BODY>: must be a JSON object or a list of objects')
    }
    const client = await ctx.client()
    await client.metrics.create(body as MetricInput | MetricInput[])
    ctx.out('Successfully created metric')
  },
}

const metricNameList: Command = {
  name: 'metric-name-list',
  summary: 'List names of metrics.',
  positionals: [],
  options: [dimensionsQueryOption(), offsetOption, limitOption, tenantOption, ALL_OPTION],
  async run(ctx, args) {
    const params: Params = {}
    addIfGiven(params, 'dimensions', dimensionsQuery(list(args, 'dimensions')))
    addIfGiven(params, 'limit', str(args, 'limit'))
    addIfGiven(params, 'offset', str(args, 'offset'))
    addIfGiven(params, 'tenant_id', str(args, 'tenant-id'))
    const client = await ctx.client()
    await listOutput(ctx, args, client.metrics.listNames(params), { headers: ['Name'], row: (m) => [pyStr(m['name'])] })
  },
}

const metricList: Command = {
  name: 'metric-list',
  summary: 'List metrics for this tenant.',
  positionals: [],
  options: [
    { flag: '--name', metavar: '<METRIC_NAME>', help: 'Name of the metric to list.' },
    dimensionsQueryOption(),
    { flag: '--starttime', metavar: '<UTC_START_TIME>', help: startTimeHelp },
    endTimeOption, offsetOption, limitOption, tenantOption, ALL_OPTION,
  ],
  async run(ctx, args) {
    const params: Params = {}
    addIfGiven(params, 'name', str(args, 'name'))
    addIfGiven(params, 'dimensions', dimensionsQuery(list(args, 'dimensions')))
    addIfGiven(params, 'limit', str(args, 'limit'))
    addIfGiven(params, 'offset', str(args, 'offset'))
    const start = str(args, 'starttime')
    if (start) params['start_time'] = translateStartTime(start, ctx.now())
    addIfGiven(params, 'end_time', str(args, 'endtime'))
    addIfGiven(params, 'tenant_id', str(args, 'tenant-id'))
    const client = await ctx.client()
    await listOutput(ctx, args, client.metrics.list(params), {
      headers: ['name', 'dimensions'],
      row: (m) => [pyStr(m['name']), formatDict(m['dimensions'])],
    })
  },
}

const dimensionNameList: Command = {
  name: 'dimension-name-list',
  summary: 'List names of metric dimensions.',
  positionals: [],
  options: [metricNameOption('Name of the metric to report dimension name list.'), offsetOption, limitOption, tenantOption, ALL_OPTION],
  async run(ctx, args) {
    const params = dimensionListParams(args, {})
    const client = await ctx.client()
    await listOutput(ctx, args, client.metrics.listDimensionNames(params), {
      headers: ['Dimension Names'],
      row: (d) => [pyStr(d['dimension_name'])],
    })
  },
}

/** The flags both dimension commands share: repeated --metric-name, --limit, --offset, --tenant-id. */
function dimensionListParams(args: Parameters<Command['run']>[1], params: Params): Params {
  const names = list(args, 'metric-name')
  if (names && names.length > 0) params['metric_name'] = names
  addIfGiven(params, 'limit', str(args, 'limit'))
  addIfGiven(params, 'offset', str(args, 'offset'))
  addIfGiven(params, 'tenant_id', str(args, 'tenant-id'))
  return params
}

const dimensionValueList: Command = {
  name: 'dimension-value-list',
  summary: 'List names of metric dimensions.',
  positionals: [{ name: 'dimension_name', metavar: '<DIMENSION_NAME>', help: 'Name of the dimension to list dimension values.' }],
  options: [metricNameOption('Name of the metric to report dimension value list.'), offsetOption, limitOption, tenantOption, ALL_OPTION],
  async run(ctx, args) {
    const params = dimensionListParams(args, { dimension_name: pos(args, 'dimension_name') })
    const client = await ctx.client()
    await listOutput(ctx, args, client.metrics.listDimensionValues(params as DimensionValueListParams), {
      headers: ['Dimension Values'],
      row: (d) => [pyStr(d['dimension_value'])],
    })
  },
}

function rowsOf(series: Json, key: string): unknown[][] {
  const rows = series[key]
  return Array.isArray(rows) ? (rows as unknown[][]) : []
}

function valueMetaCell(measurement: unknown[]): string {
  const meta = measurement[2]
  if (measurement.length < 3 || meta === null || typeof meta !== 'object') return ''
  return Object.entries(meta).map(([k, v]) => `${k}: ${pyStr(v)}`).join(',')
}

/** Python's table of measurement-list. */
function measurementRow(series: Json): string[] {
  const ms = rowsOf(series, 'measurements')
  return [
    pyStr(series['name']),
    formatDict(series['dimensions']),
    ms.map((m) => pyStr(m[0])).join('\n'),
    ms.map((m) => fixed3(m[1])).join('\n'),
    ms.map(valueMetaCell).join('\n'),
  ]
}

/** Charts instead of tables: one series at a time, every page with --all. */
async function printCharts(ctx: CliContext, args: ParsedArgs, page: AsyncIterable<Json> & PromiseLike<Json[]>): Promise<void> {
  if (!flag(args, 'all')) {
    const items = await page
    ctx.out(items.length ? items.map((s) => seriesCharts(s, ctx.columns)).join('\n\n') : '(no series)')
    return
  }
  const progress = new Progress(ctx)
  let count = 0
  try {
    for await (const series of page) {
      progress.tick()
      ctx.out((count++ ? '\n' : '') + seriesCharts(series, ctx.columns))
    }
  } finally {
    progress.done()
  }
  if (count === 0) ctx.out('(no series)')
}

function measurementParams(ctx: CliContext, args: ParsedArgs, statistics?: string): Params {
  const params: Params = { name: pos(args, 'name') }
  addIfGiven(params, 'dimensions', dimensionsQuery(list(args, 'dimensions')))
  params['start_time'] = translateStartTime(pos(args, 'starttime'), ctx.now())
  addIfGiven(params, 'end_time', str(args, 'endtime'))
  if (statistics !== undefined) {
    addIfGiven(params, 'period', str(args, 'period'))
    params['statistics'] = statistics
  }
  addIfGiven(params, 'limit', str(args, 'limit'))
  addIfGiven(params, 'offset', str(args, 'offset'))
  // Python sends the flag as the string "True".
  if (flag(args, 'merge_metrics')) params['merge_metrics'] = 'True'
  addIfGiven(params, 'group_by', str(args, 'group_by'))
  addIfGiven(params, 'tenant_id', str(args, 'tenant-id'))
  return params
}

const measurementList: Command = {
  name: 'measurement-list',
  summary: 'List measurements for the specified metric.',
  positionals: [
    { name: 'name', metavar: '<METRIC_NAME>', help: 'Name of the metric to list measurements.' },
    { name: 'starttime', metavar: '<UTC_START_TIME>', help: startTimeHelp },
  ],
  options: [dimensionsQueryOption(), endTimeOption, offsetOption, limitOption, mergeMetricsOption, groupByOption, tenantOption, ALL_OPTION, chartOption],
  async run(ctx, args) {
    const params = measurementParams(ctx, args)
    const client = await ctx.client()
    const page = client.metrics.listMeasurements(params as MeasurementParams)
    if (flag(args, 'chart')) return printCharts(ctx, args, page)
    await listOutput(ctx, args, page, { headers: ['name', 'dimensions', 'timestamp', 'value', 'value_meta'], row: measurementRow })
  },
}

const STAT_COLUMNS = new Set(['avg', 'min', 'max', 'count', 'sum'])

/** One metric-statistics row for the given column names (Python's formatters per column). */
function statisticsRow(series: Json, columns: readonly string[]): string[] {
  const names = Array.isArray(series['columns']) ? (series['columns'] as unknown[]).map(String) : []
  const stats = rowsOf(series, 'statistics')
  return columns.map((col) => {
    if (col === 'name') return pyStr(series['name'])
    if (col === 'dimensions') return formatDict(series['dimensions'])
    const index = stats.length ? names.indexOf(col) : 0
    if (col === 'timestamp') return stats.map((s) => pyStr(s[index])).join('\n')
    if (STAT_COLUMNS.has(col)) return stats.map((s) => fixed3(s[index])).join('\n')
    return ''
  })
}

const metricStatistics: Command = {
  name: 'metric-statistics',
  summary: 'List measurement statistics for the specified metric.',
  notes: 'An invalid statistic is refused with exit status 2 (the Python client exits 1).',
  positionals: [
    { name: 'name', metavar: '<METRIC_NAME>', help: 'Name of the metric to report measurement statistics.' },
    { name: 'statistics', metavar: '<STATISTICS>', help: 'Statistics is one or more (separated by commas) of [AVG, MIN, MAX, COUNT, SUM].' },
    { name: 'starttime', metavar: '<UTC_START_TIME>', help: startTimeHelp },
  ],
  options: [
    dimensionsQueryOption(), endTimeOption,
    { flag: '--period', metavar: '<PERIOD>', help: 'number of seconds per interval (default is 300)' },
    offsetOption, limitOption, mergeMetricsOption, groupByOption, tenantOption, ALL_OPTION, chartOption,
  ],
  async run(ctx, args) {
    const statistics = checkStatistics(pos(args, 'statistics'))
    const params = measurementParams(ctx, args, statistics)
    const client = await ctx.client()
    const page = client.metrics.listStatistics(params as StatisticsParams)
    if (flag(args, 'chart')) return printCharts(ctx, args, page)
    if (flag(args, 'json') || flag(args, 'all')) {
      // Columns come from the first series; with --all each batch takes them from its own first row.
      let columns: string[] | undefined
      await listOutput(ctx, args, page, {
        get headers() {
          return columns ?? ['name', 'dimensions', 'timestamp']
        },
        row: (s) => {
          columns ??= ['name', 'dimensions', ...(Array.isArray(s['columns']) ? (s['columns'] as unknown[]).map(String) : [])]
          return statisticsRow(s, columns)
        },
      })
      return
    }
    const items = await page
    const first = items[0]
    const columns = first ? ['name', 'dimensions', ...(Array.isArray(first['columns']) ? (first['columns'] as unknown[]).map(String) : [])] : ['name', 'dimensions', 'timestamp']
    ctx.out(renderTable(columns, items.map((s) => statisticsRow(s, columns))))
  },
}

export const commands: Command[] = [
  metricCreate, metricCreateRaw, metricNameList, metricList, dimensionNameList, dimensionValueList, measurementList, metricStatistics,
]

