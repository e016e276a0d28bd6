/** notification-* and notification-type-list. */
// The SDK's parameter types: the CLI's values (the Python client's) go to the SDK, which checks them.
import type { NotificationMethodCreate, NotificationMethodUpdate } from '../../types.js'
import type { CliContext, Json } from '../client-types.js'
import { checkSortBy, NOTIFICATION_SORT_BY, parsePyInt } from '../params.js'
import { formatDictList, pyJson, pyStr } from '../pyformat.js'
import { flag, pos, str, type CommandSpec, type OptionSpec } from '../spec.js'
import { ALL_OPTION, addIfGiven, jsonCell, limitOption, listOutput, offsetOption, printResponse, showTable } from './shared.js'

type Command = CommandSpec<CliContext>

const typeHelp = 'The notification type. See monasca notification-type-list for supported types.'
const addressHelp = 'A valid EMAIL Address, URL, or SERVICE KEY.'
const periodHelp = 'A period for the notification method.'
const idPositional = { name: 'id', metavar: '<NOTIFICATION_ID>', help: 'The ID of the notification.' }

const notificationCreate: Command = {
  name: 'notification-create',
  summary: 'Create notification.',
  positionals: [
    { name: 'name', metavar: '<NOTIFICATION_NAME>', help: 'Name of the notification to create.' },
    { name: 'type', metavar: '<TYPE>', help: typeHelp },
    { name: 'address', metavar: '<ADDRESS>', help: addressHelp },
  ],
  options: [{ flag: '--period', metavar: '<PERIOD>', help: periodHelp }],
  async run(ctx, args) {
    const periodText = str(args, 'period')
    const period = periodText === undefined ? 0 : parsePyInt(periodText, '--period')
    const body: Json = { name: pos(args, 'name'), type: pos(args, 'type'), address: pos(args, 'address') }
    if (period) body['period'] = period
    const client = await ctx.client()
    printResponse(ctx, await client.notifications.create(body as NotificationMethodCreate))
  },
}

const notificationShow: Command = {
  name: 'notification-show',
  summary: 'Describe the notification.',
  positionals: [idPositional],
  options: [],
  async run(ctx, args) {
    const client = await ctx.client()
    const notification = await client.notifications.get(pos(args, 'id'))
    if (flag(args, 'json')) return ctx.out(pyJson(notification))
    ctx.out(
      showTable(notification, {
        name: jsonCell, id: jsonCell, type: jsonCell, address: jsonCell, period: jsonCell, links: formatDictList,
      }),
    )
  },
}

const notificationList: Command = {
  name: 'notification-list',
  summary: 'List notifications for this tenant.',
  notes: 'Unlike the Python client, an invalid --sort-by is refused (exit 2, nothing sent) and HTTP errors show their description.',
  positionals: [],
  options: [
    {
      flag: '--sort-by', metavar: '<SORT BY FIELDS>',
      help: 'Fields to sort by as a comma separated list. Valid values are id, name, type, address, created_at, updated_at. Fields may be followed by "asc" or "desc", ex "address desc", to set the direction of sorting.',
    },
    offsetOption, limitOption, ALL_OPTION,
  ],
  async run(ctx, args) {
    const params: Record<string, unknown> = {}
    addIfGiven(params, 'limit', str(args, 'limit'))
    addIfGiven(params, 'offset', str(args, 'offset'))
    const sortBy = str(args, 'sort-by')
    if (sortBy) params['sort_by'] = checkSortBy(sortBy, NOTIFICATION_SORT_BY, true)
    const client = await ctx.client()
    await listOutput(ctx, args, client.notifications.list(params), {
      headers: ['name', 'id', 'type', 'address', 'period'],
      row: (n) => ['name', 'id', 'type', 'address', 'period'].map((k) => pyStr(n[k])),
    })
  },
}

const notificationDelete: Command = {
  name: 'notification-delete',
  summary: 'Delete notification.',
  positionals: [idPositional],
  options: [],
  async run(ctx, args) {
    const client = await ctx.client()
    await client.notifications.delete(pos(args, 'id'))
    ctx.out('Successfully deleted notification')
  },
}

const notificationUpdate: Command = {
  name: 'notification-update',
  summary: 'Update notification.',
  positionals: [
    idPositional,
    { name: 'name', metavar: '<NOTIFICATION_NAME>', help: 'Name of the notification.' },
    { name: 'type', metavar: '<TYPE>', help: typeHelp },
    { name: 'address', metavar: '<ADDRESS>', help: addressHelp },
    { name: 'period', metavar: '<PERIOD>', help: periodHelp },
  ],
  options: [],
  async run(ctx, args) {
    const period = parsePyInt(pos(args, 'period'), '<PERIOD>')
    const body: Json = { name: pos(args, 'name'), type: pos(args, 'type'), address: pos(args, 'address'), period }
    const client = await ctx.client()
    printResponse(ctx, await client.notifications.update(pos(args, 'id'), body as NotificationMethodUpdate))
  },
}

const patchOptions: OptionSpec[] = [
  { flag: '--name', metavar: '<NOTIFICATION_NAME>', help: 'Name of the notification.' },
  { flag: '--type', metavar: '<TYPE>', help: typeHelp },
  { flag: '--address', metavar: '<ADDRESS>', help: addressHelp },
  { flag: '--period', metavar: '<PERIOD>', help: periodHelp },
]

const notificationPatch: Command = {
  name: 'notification-patch',
  summary: 'Patch notification.',
  positionals: [idPositional],
  options: patchOptions,
  async run(ctx, args) {
    const body: Json = {}
    addIfGiven(body, 'name', str(args, 'name'))
    addIfGiven(body, 'type', str(args, 'type'))
    addIfGiven(body, 'address', str(args, 'address'))
    const period = str(args, 'period')
    if (period !== undefined) body['period'] = parsePyInt(period, '--period')
    const client = await ctx.client()
    printResponse(ctx, await client.notifications.patch(pos(args, 'id'), body))
  },
}

const notificationTypeList: Command = {
  name: 'notification-type-list',
  summary: 'List notification types supported by monasca.',
  positionals: [],
  options: [],
  async run(ctx, args) {
    const client = await ctx.client()
    await listOutput(ctx, args, client.notificationTypes.list(), { headers: ['types'], row: (t) => [pyStr(t['type'])] })
  },
}

export const commands: Command[] = [
  notificationCreate, notificationShow, notificationList, notificationDelete, notificationUpdate, notificationPatch, notificationTypeList,
]
