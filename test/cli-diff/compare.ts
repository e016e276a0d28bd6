/**
 * Compares what Debian's Python `monasca` and ours did for one command line: the HTTP requests the
 * server saw, the exit code, stdout (tables cell by cell, JSON value by value) and stderr.
 *
 * Two lists say what is allowed to differ, each entry with its reason:
 * - NORMALISATIONS apply to every case (things that legitimately vary per run or per stack);
 * - DEVIATIONS apply only to the cases that name them: places where issue 5 tells us to do better
 *   than the Python client. Each deviation checks that ours really does the better thing.
 * Anything else that differs is reported, and the test fails.
 */
import { STATUS_CODES } from 'node:http'
import type { CliResult } from './run-cli.js'
import type { CliCase } from './cases.js'
import type { Fault, RecordedRequest } from './recording-server.js'

export interface Observed {
  result: CliResult
  requests: RecordedRequest[]
  /** The run's URL prefix (`/r/run7`), replaced in outputs because each CLI had its own. */
  runPrefix: string
}

export const NORMALISATIONS: { what: string; reason: string }[] = [
  {
    what: 'Path `/v2.0/alarms/state-history/` (Python, trailing slash) equals `/v2.0/alarms/state-history`',
    reason: 'The Monasca API sets strip_url_path_trailing_slash = True, so both reach the same route; ours may send either spelling. Only this route is treated so.',
  },
  {
    what: 'Query compared as a multiset of decoded key/value pairs',
    reason: 'The server reads parameters by name; `+` (Python quote_plus) and `%20` (ours) both decode to a space.',
  },
  {
    what: 'Request bodies compared as parsed JSON values, key order included; not their spelling (`1.0` vs `1`, `\\u00e9` vs `é`, spaces)',
    reason: 'The API parses the body with a JSON parser, for which these spellings are the same value. (Printed JSON output, by contrast, is compared byte for byte.)',
  },
  {
    what: 'Times derived from the clock (`--starttime -N`, metric-create default timestamp) become `<now-Nmin>` / `<now ms>`',
    reason: 'Each CLI reads the clock at its own moment; the value is checked to lie within the invocation\'s wall-clock window.',
  },
  {
    what: "Ours' explanation under an error (a trailing run of lines indented by two spaces: the request, what to check, which flag) is taken off stderr before comparing",
    reason: 'Issue 10: errors must not leave the user guessing. The Python client\'s own lines still come first and are compared; test/cli/errors.test.ts checks the explanations themselves.',
  },
  {
    what: 'The run prefix `/r/<id>` in printed links',
    reason: 'Each CLI talks to its own recording run of the same server, so self links differ only there.',
  },
  {
    what: 'Headers other than X-Auth-Token and Content-Type are not compared (User-Agent, Accept, Accept-Encoding, Connection)',
    reason: 'They name the HTTP stack (python-requests vs node:http); the API ignores them.',
  },
  {
    what: 'Keystone version discovery (`GET /v3`) is not compared; token requests (`POST /v3/auth/tokens`) are, by JSON value',
    reason: 'keystoneauth always runs discovery; a client that already knows the v3 URL may skip it. Keystone ignores key order.',
  },
  {
    what: 'Usage errors (exit 2 from both): the wording on stderr is not compared, only that both wrote one',
    reason: 'argparse and our parser word usage messages differently; the contract is exit 2, a message, and no request.',
  },
  {
    what: '` (Request-ID: …)` at the end of an error line',
    reason: 'Printing the request id is optional; the rest of the error line is compared.',
  },
]

export type DeviationId =
  | 'invalid-input'
  | 'api-multi-severity'
  | 'raw-list'
  | 'no-bytes'
  | 'integer-timestamp'
  | 'error-details'
  | 'config-error-wording'
  | 'state-upper-cased'
  | 'token-without-auth-type'
  | 'connection-error-reason'
  | 'default-domain'
  | 'help-additions'
  | 'unknown-command'

interface Skip {
  requests?: boolean
  exit?: boolean
  stdout?: boolean
  /** Compare stdout cell by cell only, not byte for byte (a deviation changes cell contents, hence widths). */
  layout?: boolean
  stderr?: boolean
}

interface Deviation {
  reason: string
  /** Checks the intended behaviour of ours (pushing problems), may rewrite Python's side, returns what not to compare. */
  check(c: CliCase, py: NormalisedSide, ours: NormalisedSide, problems: string[]): Skip
}

export interface NormalisedSide {
  result: CliResult
  /** stdout as printed, with the run prefix replaced. */
  rawStdout: string
  requests: NormalisedRequest[]
  stdout: OutputBlock[]
  stderr: string
}

export interface NormalisedRequest {
  method: string
  path: string
  /** Sorted `key=value` strings (a multiset). */
  query: string[]
  body: unknown
  contentType: string | undefined
  token: string | undefined
}

export type OutputBlock = { text: string } | { header: string[]; rows: string[][] } | { json: unknown; raw: string }

const isTable = (b: OutputBlock): b is { header: string[]; rows: string[][] } => 'header' in b

const errorLine = (s: string) => s.replace(/ \(Request-ID: [^)]*\)/g, '')

export const DEVIATIONS: Record<DeviationId, Deviation> = {
  'invalid-input': {
    reason:
      'Issue 5: invalid input is an error on stderr with a non-zero exit and no request. Python prints most validation messages to stdout with exit 0, sometimes still sends the request (sort direction), and words its CommandErrors differently.',
    check(_c, _py, ours, problems) {
      if (!ours.result.code) problems.push(`ours: expected a non-zero exit for invalid input, got ${ours.result.code}`)
      if (ours.result.stderr.trim() === '') problems.push('ours: expected the reason on stderr, got nothing')
      if (ours.result.stdout.trim() !== '') problems.push(`ours: expected nothing on stdout, got ${JSON.stringify(ours.result.stdout)}`)
      if (ours.requests.length > 0) problems.push(`ours: expected no request for invalid input, sent ${ours.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`)
      return { requests: true, exit: true, stdout: true, stderr: true }
    },
  },
  'api-multi-severity': {
    reason:
      'The API filters alarms and alarm definitions by several severities joined with `|` (monasca-api.md §3.3/§3.4); Python refuses anything but one severity (stdout message, exit 0, no request). Ours checks each part and sends the string as typed.',
    check(c, py, ours, problems) {
      if (py.requests.length !== 0) problems.push('python: sent a request; the deviation may no longer be needed')
      const value = c.argv[c.argv.indexOf('--severity') + 1]!
      const sent = ours.requests[0]
      if (ours.result.code !== 0) problems.push(`ours: exit ${ours.result.code}: ${ours.result.stderr.trim()}`)
      if (ours.requests.length !== 1 || !sent!.query.includes(`severity=${value}`)) problems.push(`ours: expected one request with severity=${value}, got ${describeRequests(ours.requests)} ${show(sent?.query)}`)
      if (ours.stdout.length === 0) problems.push('ours: printed nothing')
      return { requests: true, exit: true, stdout: true, stderr: true }
    },
  },
  'raw-list': {
    reason: 'Issue 5: metric-create-raw accepts a JSON list (the API takes one); Python fails with "argument after ** must be a mapping".',
    check(c, py, ours, problems) {
      if (py.requests.length !== 0 || !py.result.code) problems.push('python: expected it to refuse a list (non-zero exit, no request); the deviation may no longer be needed')
      const sent = ours.requests
      const expected = JSON.parse(c.argv[1]!) as unknown
      if (ours.result.code !== 0) problems.push(`ours: expected exit 0, got ${ours.result.code}: ${ours.result.stderr.trim()}`)
      if (sent.length !== 1 || sent[0]!.method !== 'POST' || sent[0]!.path !== '/v2.0/metrics') problems.push(`ours: expected one POST /v2.0/metrics, got ${describeRequests(sent)}`)
      else if (JSON.stringify(sent[0]!.body) !== JSON.stringify(expected)) problems.push(`ours: body ${JSON.stringify(sent[0]!.body)} is not the list given ${JSON.stringify(expected)}`)
      if (ours.result.stdout.trim() !== 'Successfully created metric') problems.push(`ours: stdout ${JSON.stringify(ours.result.stdout)}`)
      return { requests: true, exit: true, stdout: true, stderr: true }
    },
  },
  'no-bytes': {
    reason: "Issue 5: byte strings are never printed as b'...'. Python's alarm-definition-list shows match_by as b'hostname' (a bytes join); ours prints the values, one per line.",
    check(_c, py, ours, problems) {
      let seen = 0
      for (const block of py.stdout) {
        if (!isTable(block)) continue
        block.rows = block.rows.map((row) =>
          row.map((cell) => {
            const m = /^b'(.*)'$/s.exec(cell)
            if (!m) return cell
            seen += 1
            return m[1]!.replace(/\\n/g, '\n')
          }),
        )
      }
      if (seen === 0) problems.push("python: expected b'...' cells; the deviation may no longer be needed")
      if (ours.result.stdout.includes("b'")) problems.push("ours: prints b'...'")
      return { layout: true }
    },
  },
  'integer-timestamp': {
    reason: 'Issue 5 / reference §7: Python sends time.time()*1000 as a float with a fraction; the API documents milliseconds as an integer, so ours sends Math.floor-ed integer ms.',
    check(_c, py, ours, problems) {
      for (const [side, name] of [[py, 'python'], [ours, 'ours']] as const) {
        const body = side.requests[0]?.body as Record<string, unknown> | undefined
        const ts = body?.timestamp
        if (typeof ts !== 'number') {
          problems.push(`${name}: no numeric timestamp in ${JSON.stringify(body)}`)
          continue
        }
        // Python computes it when its shell module is imported, i.e. shortly after the process started.
        if (ts < side.result.startedAt - 2000 || ts > side.result.endedAt) problems.push(`${name}: timestamp ${ts} outside the invocation window`)
        if (name === 'ours' && !Number.isInteger(ts)) problems.push(`ours: timestamp ${ts} is not an integer`)
        body!.timestamp = '<now ms>'
      }
      return {}
    },
  },
  'error-details': {
    reason:
      'Issue 5: errors print `<Title> (HTTP nnn)` and the description, exit 1. Python drops the details in notification-list and prints a literal `None` when the body has no description.',
    check(c, py, ours, problems) {
      const lines = errorLine(ours.result.stderr).trim().split('\n')
      const fault = c.faults?.[0]
      if (fault) {
        // Canned faults: we know the body, so the exact title and description.
        const title = expectedTitle(fault)
        if (lines[0] !== `${title} (HTTP ${fault.status})`) problems.push(`ours: first stderr line ${JSON.stringify(lines[0])}, expected ${JSON.stringify(`${title} (HTTP ${fault.status})`)}`)
        const detail = expectedDetail(fault)
        if (detail && !ours.result.stderr.includes(detail)) problems.push(`ours: stderr lacks the description ${JSON.stringify(detail)}`)
      } else {
        // A real server's body (emulator): the status must match Python's, the title is the server's.
        const status = /\(HTTP (\d{3})\)/.exec(py.result.stderr)?.[1]
        if (!status || !lines[0]?.endsWith(`(HTTP ${status})`)) problems.push(`ours: first stderr line ${JSON.stringify(lines[0])} does not end with (HTTP ${status})`)
      }
      if (lines.includes('None')) problems.push('ours: prints a literal None')
      if (ours.result.code !== 1) problems.push(`ours: exit ${ours.result.code}, expected 1`)
      if (errorLine(py.result.stderr).trim() === errorLine(ours.result.stderr).trim()) problems.push('python: prints the same error; the deviation is not needed')
      return { stderr: true }
    },
  },
  'state-upper-cased': {
    reason:
      'alarm-update/alarm-patch: Python checks the state case-insensitively but sends it as typed, and the API compares the state in PUT/PATCH bodies case-sensitively (`ok` gets 422). Ours sends it upper-cased; everything else in the request must match.',
    check(_c, py, ours, problems) {
      const state = (r: NormalisedRequest | undefined) => (r?.body as { state?: unknown } | undefined)?.state
      const pyState = state(py.requests[0])
      if (typeof pyState !== 'string' || pyState === pyState.toUpperCase()) problems.push(`python: expected a lower-case state in the body, sent ${show(pyState)}; the deviation may no longer be needed`)
      else {
        if (state(ours.requests[0]) !== pyState.toUpperCase()) problems.push(`ours: expected state ${show(pyState.toUpperCase())}, sent ${show(state(ours.requests[0]))}`)
        ;(py.requests[0]!.body as { state: string }).state = pyState.toUpperCase()
      }
      // The response echoes the state, so the printed JSON differs the same way.
      return { stdout: true }
    },
  },
  'token-without-auth-type': {
    reason:
      'Issue 5 / README: `--os-token T --os-endpoint URL` without `--os-auth-type`: osc-lib picks the password plugin and fails ("Missing value auth-url required for auth plugin password", exit 1); ours uses the token as is, as admin_token would.',
    check(_c, py, ours, problems) {
      if (!py.result.code || py.requests.length > 0) problems.push('python: expected it to fail without a request; the deviation may no longer be needed')
      if (ours.result.code !== 0) problems.push(`ours: exit ${ours.result.code}: ${ours.result.stderr.trim()}`)
      if (ours.requests.length !== 1 || ours.requests[0]!.token === undefined) problems.push(`ours: expected one request with the token, got ${describeRequests(ours.requests)}`)
      if (ours.stdout.length === 0) problems.push('ours: printed nothing')
      return { requests: true, exit: true, stdout: true, stderr: true }
    },
  },
  'default-domain': {
    reason:
      'Password auth without any domain option: osc-lib applies --os-default-domain only when OS_IDENTITY_API_VERSION=3 is set, so Python sends a user and project name without a domain and a real Keystone answers 400 "Expecting to find domain in project". Ours scopes both to the default domain (`{"id": "default"}`), as the option\'s help says.',
    check(_c, py, ours, problems) {
      type Auth = { auth?: { identity?: { password?: { user?: Record<string, unknown> } }; scope?: { project?: Record<string, unknown> } } }
      const tokenRequest = (side: NormalisedSide) => side.requests.find((r) => r.method === 'POST' && r.path === '/v3/auth/tokens')
      const pyToken = tokenRequest(py)
      const oursBody = tokenRequest(ours)?.body as Auth | undefined
      const domainsOf = (b: Auth | undefined) => [b?.auth?.identity?.password?.user?.['domain'], b?.auth?.scope?.project?.['domain']]
      if (pyToken) {
        if (show(domainsOf(oursBody)) !== show([{ id: 'default' }, { id: 'default' }])) problems.push(`ours: expected the default domain on user and project, sent ${show(oursBody)}`)
        // Recording Keystone (accepts anything): Python's body must lack the domains; add them and compare the rest.
        const body = pyToken.body as Auth
        if (show(domainsOf(body)) !== show([undefined, undefined])) problems.push(`python: sent domains ${show(domainsOf(body))}; the deviation may no longer be needed`)
        else {
          body.auth!.identity!.password!.user!['domain'] = { id: 'default' }
          body.auth!.scope!.project!['domain'] = { id: 'default' }
        }
        return {}
      }
      // Real Keystone: Python is refused before any Monasca request; ours goes through.
      if (!py.result.code || !py.result.stderr.includes('Expecting to find domain')) problems.push(`python: expected Keystone's 400 about the missing domain, got exit ${py.result.code} ${show(py.result.stderr.trim())}`)
      if (ours.result.code !== 0 || ours.requests.length === 0) problems.push(`ours: expected success with a Monasca request, got exit ${ours.result.code} ${show(ours.result.stderr.trim())}`)
      return { requests: true, exit: true, stdout: true, stderr: true }
    },
  },
  'help-additions': {
    reason:
      'Per-command help: the same usage, positionals and options with the same metavars as argparse prints for Python; ours adds --all and --chart where they apply and a paragraph on where it differs from Python, which changes line wrapping, so the help is compared by its parts, not byte for byte.',
    check(_c, py, ours, problems) {
      const parts = (text: string) => {
        const lines = text.split('\n')
        return {
          usage: /^usage: monasca [\w-]+/.exec(text)?.[0],
          positionals: lines.flatMap((l) => /^ {2}(<[^>]+>)/.exec(l)?.[1] ?? []),
          options: lines.flatMap((l) => {
            const m = /^ {2}(?:-\w(?: \S+)?, )?(--[\w-]+)(?: (<[^>]*>|[A-Z_<][^ ]*))?/.exec(l)
            return m ? [`${m[1]}${m[2] ? ` ${m[2]}` : ''}`] : []
          }),
        }
      }
      const a = parts(py.result.stdout)
      const b = parts(ours.result.stdout)
      if (!a.usage || a.usage !== b.usage) problems.push(`usage: python ${show(a.usage)} ours ${show(b.usage)}`)
      if (show(a.positionals) !== show(b.positionals)) problems.push(`positionals: python ${show(a.positionals)} ours ${show(b.positionals)}`)
      const extra = b.options.filter((o) => !a.options.includes(o))
      const missing = a.options.filter((o) => !b.options.includes(o))
      if (missing.length) problems.push(`ours: help lacks ${show(missing)}`)
      if (extra.some((o) => !/^--(all|chart)$/.test(o))) problems.push(`ours: help has options Python has not: ${show(extra)}`)
      if (py.result.code !== 0 || ours.result.code !== 0) problems.push(`exit: python ${py.result.code} ours ${ours.result.code}`)
      return { stdout: true }
    },
  },
  'unknown-command': {
    reason:
      'An unknown command: both exit 2 with "monasca: \'x\' is not a monasca command. See \'monasca --help\'."; cliff prints it on stdout, ours on stderr (it is an error). The "Did you mean" list is not compared: cliff adds its built-ins (help, command list, module list) and orders it alphabetically.',
    check(_c, py, ours, problems) {
      const first = (s: string) => s.trim().split('\n')[0] ?? ''
      if (py.result.code !== 2 || ours.result.code !== 2) problems.push(`exit: python ${py.result.code} ours ${ours.result.code}, expected 2`)
      if (!/is not a monasca command/.test(first(py.result.stdout))) problems.push(`python: stdout ${show(py.result.stdout.trim())}; the deviation may no longer be needed`)
      if (first(ours.result.stderr) !== first(py.result.stdout)) problems.push(`ours: stderr starts ${show(first(ours.result.stderr))}, expected ${show(first(py.result.stdout))}`)
      if (ours.result.stdout.trim() !== '') problems.push(`ours: stdout ${show(ours.result.stdout)}`)
      return { stdout: true, stderr: true }
    },
  },
  'connection-error-reason': {
    reason:
      'An unreachable endpoint: both print `Unable to establish connection to <url>: <reason>` on stderr and exit 1; the reason is the HTTP stack\'s own words (urllib3\'s exception repr vs Node\'s error code), so only the text up to it is compared.',
    check(_c, py, ours, problems) {
      const head = (s: string) => /^Unable to establish connection to \S+: /.exec(s.trim())?.[0]
      const pyHead = head(py.result.stderr)
      if (!pyHead) problems.push(`python: unexpected stderr ${show(py.result.stderr.trim())}`)
      else if (head(ours.result.stderr) !== pyHead) problems.push(`ours: stderr ${show(ours.result.stderr.trim())} does not start with ${show(pyHead)}`)
      else if (ours.result.stderr.trim().length === pyHead.trim().length) problems.push('ours: no reason after the URL')
      return { stderr: true }
    },
  },
  'config-error-wording': {
    reason:
      'Configuration errors (no auth URL; no monitoring endpoint for the region in the catalog) fail in both with a non-zero exit, a message and no Monasca request; osc-lib words them "Missing value auth-url required for auth plugin password" / "public endpoint for monitoring service in Nowhere region not found", ours in its own words (it lists what the catalog offers).',
    check(_c, py, ours, problems) {
      for (const [side, name] of [[py, 'python'], [ours, 'ours']] as const) {
        if (!side.result.code) problems.push(`${name}: expected a non-zero exit, got ${side.result.code}`)
        if (side.result.stderr.trim() === '') problems.push(`${name}: expected a message on stderr`)
        const monasca = side.requests.filter((r) => !r.path.startsWith('/v3'))
        if (monasca.length > 0) problems.push(`${name}: sent ${describeRequests(monasca)}`)
      }
      // Keystone requests made before the failure are still compared.
      return { stderr: true, exit: true }
    },
  },
}

/** Keystone's error envelope `{"error": {"code", "title", "message"}}`, when the fault body has one. */
const keystoneError = (f: Fault) => (f.body as { error?: { title?: string; message?: string } } | undefined)?.error

function expectedTitle(f: Fault): string {
  return f.title ?? keystoneError(f)?.title ?? STATUS_CODES[f.status] ?? `HTTP ${f.status}`
}

/** The description ours must print: Monasca's `description`, a text body, or Keystone's `message`. A body of unknown shape has none. */
function expectedDetail(f: Fault): string | undefined {
  if (f.description) return f.description
  if (typeof f.body === 'string') return f.body
  return keystoneError(f)?.message
}

const describeRequests = (rs: { method: string; path: string }[]) => (rs.length ? rs.map((r) => `${r.method} ${r.path}`).join(', ') : 'no request')

// ── normalisation ────────────────────────────────────────────────────────────────────────────────

/** Minutes of every relative time (`-N`) in the command line. */
function relativeMinutes(argv: string[]): number[] {
  return argv.filter((a) => /^-\d+$/.test(a)).map((a) => Number(a.slice(1)))
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/

function normaliseTime(value: string, minutes: number[], result: CliResult): string {
  if (!ISO.test(value)) return value
  const t = Date.parse(value)
  for (const n of minutes) {
    const lo = result.startedAt - n * 60_000 - 1000 // Python truncates to the second
    const hi = result.endedAt - n * 60_000 + 1000
    if (t >= lo && t <= hi) return `<now-${n}min>`
  }
  return value
}

function normaliseRequest(r: RecordedRequest, minutes: number[], result: CliResult): NormalisedRequest {
  let path = r.path
  if (path === '/v2.0/alarms/state-history/') path = '/v2.0/alarms/state-history'
  const query = r.query.map(([k, v]) => `${k}=${normaliseTime(v, minutes, result)}`).sort()
  return {
    method: r.method,
    path,
    query,
    body: r.body,
    contentType: r.headers['content-type'],
    token: r.headers['x-auth-token'],
  }
}

/** Splits prettytable output into text lines and tables of logical rows (a row starts where the first cell is not empty). */
export function parseOutput(stdout: string): OutputBlock[] {
  const trimmed = stdout.trim()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      // The value, and the text as printed: Python's json.dumps spelling (indent, 1.0, \u00e9) is part of the contract.
      return [{ json: JSON.parse(trimmed) as unknown, raw: trimmed }]
    } catch {
      // not JSON after all: fall through to text
    }
  }
  const blocks: OutputBlock[] = []
  const lines = stdout.split('\n')
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (/^\+[-+]+\+$/.test(line)) {
      const cuts = [...line].flatMap((ch, idx) => (ch === '+' ? [idx] : []))
      const cellsOf = (l: string) => cuts.slice(0, -1).map((start, k) => l.slice(start + 1, cuts[k + 1]).trim())
      const tableLines: string[][] = []
      let separators = 1
      i += 1
      while (i < lines.length && (lines[i]!.startsWith('|') || lines[i]!.startsWith('+'))) {
        if (lines[i]!.startsWith('+')) separators += 1
        else tableLines.push(cellsOf(lines[i]!))
        i += 1
        if (separators === 3) break
      }
      const [header = [], ...body] = tableLines
      const rows: string[][] = []
      for (const cells of body) {
        if (cells[0] !== '' || rows.length === 0) rows.push(cells.map((c) => c))
        else {
          const row = rows[rows.length - 1]!
          cells.forEach((c, k) => (row[k] = `${row[k]}\n${c}`))
        }
      }
      blocks.push({ header, rows: rows.map((r) => r.map((c) => c.replace(/\n+$/, ''))) })
      continue
    }
    if (line.trim() !== '') blocks.push({ text: line.trimEnd() })
    i += 1
  }
  return blocks
}

/**
 * Ours explains an error under the Python client's lines (src/cli/explain.ts): a trailing run of
 * lines indented by two spaces (the request, what to check). Taken off before comparing.
 */
export function withoutExplanation(stderr: string): string {
  const lines = stderr.split('\n')
  let end = lines.length
  while (end > 0 && lines[end - 1] === '') end--
  let start = end
  while (start > 1 && /^ {2}\S/.test(lines[start - 1]!)) start--
  if (start === end) return stderr
  return lines.slice(0, start).join('\n') + '\n'
}

function normaliseSide(c: CliCase, observed: Observed, ours = false): NormalisedSide {
  const o = ours ? { ...observed, result: { ...observed.result, stderr: withoutExplanation(observed.result.stderr) } } : observed
  const minutes = relativeMinutes(c.argv)
  const unprefix = (s: string) => (o.runPrefix ? s.split(o.runPrefix).join('/r/<run>') : s)
  return {
    result: o.result,
    requests: o.requests
      .filter((r) => !(r.method === 'GET' && /^\/v3\/?$/.test(r.path)))
      .map((r) => normaliseRequest(r, minutes, o.result)),
    rawStdout: unprefix(o.result.stdout),
    stdout: parseOutput(unprefix(o.result.stdout)),
    stderr: unprefix(o.result.stderr),
  }
}

/** JSON text with key order kept, for strict comparison and readable messages. */
const show = (v: unknown) => JSON.stringify(v)

/** Canonical JSON with sorted keys, for values where key order does not matter (Keystone bodies). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`
  return JSON.stringify(v)
}

function compareRequests(py: NormalisedRequest[], ours: NormalisedRequest[], problems: string[]) {
  if (py.length !== ours.length) {
    problems.push(`requests: python sent ${py.length} (${describeRequests(py)}), ours ${ours.length} (${describeRequests(ours)})`)
  }
  for (let i = 0; i < Math.min(py.length, ours.length); i++) {
    const a = py[i]!
    const b = ours[i]!
    const where = `request ${i + 1} (${a.method} ${a.path})`
    if (a.method !== b.method || a.path !== b.path) problems.push(`${where}: ours sent ${b.method} ${b.path}`)
    if (show(a.query) !== show(b.query)) problems.push(`${where}: query python ${show(a.query)} ours ${show(b.query)}`)
    const keystone = a.path.startsWith('/v3')
    const same = keystone ? canonical(a.body) === canonical(b.body) : show(a.body) === show(b.body)
    if (!same) problems.push(`${where}: body python ${show(a.body)} ours ${show(b.body)}`)
    const ctA = a.body === undefined ? undefined : 'application/json'
    if (b.contentType !== ctA && !(keystone && b.contentType?.startsWith('application/json')))
      problems.push(`${where}: ours Content-Type ${show(b.contentType)}, expected ${show(ctA)}${a.contentType !== ctA ? ` (python sent ${show(a.contentType)})` : ''}`)
    if (!keystone && a.token !== b.token) problems.push(`${where}: X-Auth-Token differs (python ${a.token ?? 'none'}, ours ${b.token ?? 'none'})`)
  }
}

function compareStdout(py: OutputBlock[], ours: OutputBlock[], problems: string[]) {
  if (show(py) === show(ours)) return
  const n = Math.max(py.length, ours.length)
  for (let i = 0; i < n; i++) {
    const a = py[i]
    const b = ours[i]
    if (show(a) === show(b)) continue
    if (a && b && isTable(a) && isTable(b)) {
      if (show(a.header) !== show(b.header)) problems.push(`stdout table columns: python ${show(a.header)} ours ${show(b.header)}`)
      else if (a.rows.length !== b.rows.length) problems.push(`stdout table: python ${a.rows.length} rows ${show(a.rows)}, ours ${b.rows.length} rows ${show(b.rows)}`)
      else
        a.rows.forEach((row, r) =>
          row.forEach((cell, k) => {
            if (cell !== b.rows[r]![k]) problems.push(`stdout table row ${r + 1} column ${show(a.header[k])}: python ${show(cell)} ours ${show(b.rows[r]![k])}`)
          }),
        )
    } else problems.push(`stdout block ${i + 1}: python ${show(a) ?? '(none)'} ours ${show(b) ?? '(none)'}`)
  }
}

/** Every difference between the two runs that neither a normalisation nor a declared deviation allows. */
export function compareCase(c: CliCase, pyObserved: Observed, oursObserved: Observed): string[] {
  const problems: string[] = []
  const py = normaliseSide(c, pyObserved)
  const ours = normaliseSide(c, oursObserved, true)
  const skip: Skip = {}
  for (const id of c.deviations ?? []) Object.assign(skip, DEVIATIONS[id].check(c, py, ours, problems))

  if (!skip.requests) compareRequests(py.requests, ours.requests, problems)
  if (!skip.exit && py.result.code !== ours.result.code) problems.push(`exit code: python ${py.result.code} ours ${ours.result.code}`)
  if (!skip.stdout) {
    const before = problems.length
    compareStdout(py.stdout, ours.stdout, problems)
    // Same cells: then the bytes must match too (column widths, borders, blank lines), unless a deviation changed cells.
    if (problems.length === before && !skip.layout && py.rawStdout !== ours.rawStdout) {
      const a = py.rawStdout.split('\n')
      const b = ours.rawStdout.split('\n')
      const i = a.findIndex((line, k) => line !== b[k])
      const at = i < 0 ? a.length : i
      problems.push(`stdout layout (same cells) differs at line ${at + 1}: python ${show(a[at])} ours ${show(b[at])}`)
    }
  }
  if (!skip.stderr) {
    const bothUsage = py.result.code === 2 && ours.result.code === 2
    if (bothUsage) {
      if (ours.stderr.trim() === '') problems.push('ours: usage error without a message on stderr')
    } else if (errorLine(py.stderr).trim() !== errorLine(ours.stderr).trim()) {
      problems.push(`stderr: python ${show(py.stderr.trim())} ours ${show(ours.stderr.trim())}`)
    }
  }
  return problems
}
