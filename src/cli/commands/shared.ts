/** Option specs and helpers several command groups share. */
import type { CliContext, Params } from '../client-types.js'
import { ALL_OPTION, printList, type ListView } from '../output.js'
import { pyJson, pyStr } from '../pyformat.js'
import { renderPropertyTable } from '../table.js'
import { flag, str, type OptionSpec, type ParsedArgs } from '../spec.js'
import type { PageLike } from '../client-types.js'

const SPECIAL_CHARS = 'need quoting when they contain special chars [&,(,),{,},>,<] that confuse the CLI parser.'

export const dimensionsQueryOption = (help = 'key value pair used to specify a metric dimension.'): OptionSpec => ({
  flag: '--dimensions',
  metavar: '<KEY1=VALUE1,KEY2=VALUE2...>',
  help: `${help} This can be specified multiple times, or once with parameters separated by a comma. Dimensions ${SPECIAL_CHARS}`,
  multiple: true,
})
export const offsetOption: OptionSpec = { flag: '--offset', metavar: '<OFFSET LOCATION>', help: 'The offset used to paginate the return data.' }
export const limitOption: OptionSpec = { flag: '--limit', metavar: '<RETURN LIMIT>', help: 'The amount of data to be returned up to the API maximum limit.' }
export const tenantOption: OptionSpec = {
  flag: '--tenant-id',
  metavar: '<TENANT_ID>',
  help: "Retrieve data for the specified tenant/project id instead of the tenant/project from the user's Keystone credentials.",
}
export const startTimeHelp = 'measurements >= UTC time. format: 2014-01-01T00:00:00Z. OR Format: -120 (previous 120 minutes).'
export const endTimeOption: OptionSpec = { flag: '--endtime', metavar: '<UTC_END_TIME>', help: 'measurements <= UTC time. format: 2014-01-01T00:00:00Z.' }
export const severityFilterOption: OptionSpec = {
  flag: '--severity',
  metavar: '<SEVERITY>',
  help: 'Severity is one of ["LOW", "MEDIUM", "HIGH", "CRITICAL"]; several may be joined with | (e.g. LOW|HIGH).',
}
export { ALL_OPTION }

/** Copy truthy string options into params in the given order (Python's `if args.x:`). */
export function addIfGiven(params: Params, key: string, value: string | undefined): void {
  if (value) params[key] = value
}

/** Print a list result honouring -j and --all; `--limit` sizes the --all table batches. */
export function listOutput(ctx: CliContext, args: ParsedArgs, page: PageLike, view: ListView): Promise<void> {
  const limit = Number(str(args, 'limit'))
  return printList(ctx, page, view, {
    json: flag(args, 'json'),
    all: flag(args, 'all'),
    ...(Number.isInteger(limit) && limit > 0 ? { batch: limit } : {}),
  })
}

/** `json.dumps(resp, indent=2)` as create/update/patch print it (non-ASCII escaped). */
export function printResponse(ctx: CliContext, response: unknown): void {
  ctx.out(pyJson(response ?? null, true))
}

/** Property/Value table of one resource: listed fields as JSON, `links` as k:v lists, the rest str(). */
export function showTable(resource: unknown, formatters: Record<string, (v: unknown) => string>): string {
  const fields = Object.entries(resource !== null && typeof resource === 'object' ? resource : {}).map(
    ([k, v]) => [k, formatters[k] ? formatters[k](v) : pyStr(v)] as const,
  )
  return renderPropertyTable(fields)
}

export const jsonCell = (v: unknown) => pyJson(v)
