/**
 * The command lines both CLIs run. Every one of the 29 commands and every command flag appears at
 * least once (cases.test.ts checks that against FLAGS below, taken from the Python CLI's help);
 * error cases make the server answer 404/422/409/401/500, or feed input the client must refuse.
 *
 * `argv` is what follows the global auth options; `auth` picks those options (see AUTH_MODES in
 * compare.ts). A case lists the expected deviations (DEVIATIONS in compare.ts) that apply to it;
 * any other difference fails the comparison.
 */
import type { Fault } from './recording-server.js'
import { IDS } from './canned.js'
import type { DeviationId } from './compare.js'

export type AuthMode =
  | 'admin_token' // --os-auth-type admin_token --os-token T --os-endpoint <run>/v2.0
  | 'admin_token-env' // the same through OS_AUTH_TYPE / OS_TOKEN / OS_ENDPOINT
  | 'password' // --os-auth-url <run>/v3 --os-username … --os-password … + domains, catalog lookup
  | 'password-env' // the same through OS_* variables
  | 'token' // --os-auth-type token --os-token T --os-auth-url … --os-project-id …
  | 'password+monasca-api-url' // password auth, Monasca URL from --monasca-api-url (catalog ignored)
  | 'password+MONASCA_API_URL' // the same through the environment
  | 'password-no-auth-url' // password auth without any auth URL: a configuration error
  | 'token-no-auth-type' // --os-token T --os-endpoint URL, no --os-auth-type
  | 'admin_token-unreachable' // admin_token with an endpoint nothing listens on
  | 'password-default-domain' // no domain options: osc-lib's --os-default-domain (default) applies
  | 'password-domain-names' // --os-user-domain-name / --os-project-domain-name
  | 'password-project-id' // --os-project-id instead of a project name
  | 'password-internal' // --os-interface internal: the catalog's internal endpoint
  | 'password-admin-interface' // --os-interface admin: the catalog has none
  | 'password-region-two' // --os-region-name RegionTwo: that region's endpoint
  | 'password+OS_MONITORING_ENDPOINT_OVERRIDE' // osc-lib's per-service endpoint override
  | 'v3applicationcredential' // --os-auth-type v3applicationcredential with id and secret
  | 'v3password' // --os-auth-type v3password explicitly
  // clouds.yaml (written per run, given by OS_CLIENT_CONFIG_FILE) and --os-cloud:
  | 'cloud-password' // auth_type password with the run's Keystone
  | 'cloud-admin_token' // auth_type admin_token, auth: { token, endpoint }
  | 'cloud-token' // auth_type token with project_id
  | 'cloud-appcred' // auth_type v3applicationcredential
  | 'cloud-secure' // the password in secure.yaml (OS_CLIENT_SECURE_FILE)
  | 'cloud-override' // monitoring_endpoint_override instead of the catalog
  | 'cloud-region-two' // region_name RegionTwo
  | 'cloud-internal' // interface internal
  | 'cloud-env-wins' // OS_INTERFACE=internal over the file's public interface

export interface CliCase {
  name: string
  argv: string[]
  auth?: AuthMode
  faults?: Fault[]
  deviations?: DeviationId[]
}

/** Every command and its own flags (besides -h and -j), as `monasca help <command>` lists them. */
export const FLAGS: Record<string, string[]> = {
  'metric-create': ['--dimensions', '--value-meta', '--time', '--project-id'],
  'metric-create-raw': [],
  'metric-list': ['--name', '--dimensions', '--starttime', '--endtime', '--offset', '--limit', '--tenant-id'],
  'metric-name-list': ['--dimensions', '--offset', '--limit', '--tenant-id'],
  'dimension-name-list': ['--metric-name', '--offset', '--limit', '--tenant-id'],
  'dimension-value-list': ['--metric-name', '--offset', '--limit', '--tenant-id'],
  'measurement-list': ['--dimensions', '--endtime', '--offset', '--limit', '--merge_metrics', '--group_by', '--tenant-id'],
  'metric-statistics': ['--dimensions', '--endtime', '--period', '--offset', '--limit', '--merge_metrics', '--group_by', '--tenant-id'],
  'notification-create': ['--period'],
  'notification-show': [],
  'notification-list': ['--sort-by', '--offset', '--limit'],
  'notification-delete': [],
  'notification-update': [],
  'notification-patch': ['--name', '--type', '--address', '--period'],
  'notification-type-list': [],
  'alarm-definition-create': ['--description', '--severity', '--match-by', '--alarm-actions', '--ok-actions', '--undetermined-actions'],
  'alarm-definition-show': [],
  'alarm-definition-list': ['--name', '--dimensions', '--severity', '--sort-by', '--offset', '--limit'],
  'alarm-definition-delete': [],
  'alarm-definition-update': [],
  'alarm-definition-patch': ['--name', '--description', '--expression', '--alarm-actions', '--ok-actions', '--undetermined-actions', '--actions-enabled', '--severity'],
  'alarm-list': ['--alarm-definition-id', '--metric-name', '--metric-dimensions', '--state', '--severity', '--state-updated-start-time', '--lifecycle-state', '--link', '--sort-by', '--offset', '--limit'],
  'alarm-show': [],
  'alarm-update': [],
  'alarm-patch': ['--state', '--lifecycle-state', '--link'],
  'alarm-delete': [],
  'alarm-count': ['--alarm-definition-id', '--metric-name', '--metric-dimensions', '--state', '--severity', '--state-updated-start-time', '--lifecycle-state', '--link', '--group-by', '--offset', '--limit'],
  'alarm-history': ['--offset', '--limit'],
  'alarm-history-list': ['--dimensions', '--starttime', '--endtime', '--offset', '--limit'],
}

const N1 = IDS.notification
const N2 = IDS.notification2
const DEF = IDS.definition
const AL = IDS.alarm

const notFound = (what: string): Fault => ({ status: 404, title: 'Not Found', description: `No ${what} exists with the given id` })

export const CASES: CliCase[] = [
  // ── metrics ──────────────────────────────────────────────────────────────────────────────────
  { name: 'metric-create with dimensions, value meta, time', argv: ['metric-create', 'cpu.idle_perc', '98.5', '--dimensions', 'hostname=devstack,service=monitoring', '--value-meta', 'rc=404,error=Not Found', '--time', '1405630174123'] },
  { name: 'metric-create integer value, repeated --dimensions, duplicate value-meta key', argv: ['metric-create', 'disk.used', '1', '--dimensions', 'mount=/', '--dimensions', 'dev=sda1', '--value-meta', 'a=1', '--value-meta', 'a=2', '--time', '1405630174000'] },
  { name: 'metric-create with semicolon-separated dimensions and --project-id', argv: ['metric-create', 'http_status', '0', '--dimensions', 'url=http://x/a/b?q;path=/var log', '--value-meta', 'msg=a,b;rc=500', '--time', '1405630174000', '--project-id', 'd48e63e76a5c4e05ba26a1185f31d4aa'] },
  { name: 'metric-create default timestamp', argv: ['metric-create', 'cpu.idle_perc', '-3.25'], deviations: ['integer-timestamp'] },
  { name: 'metric-create-raw object', argv: ['metric-create-raw', '{"name":"cpu.idle_perc","dimensions":{"hostname":"h1"},"timestamp":1405630174123,"value":98.5,"value_meta":{"rc":"404"}}'] },
  { name: 'metric-create-raw list', argv: ['metric-create-raw', '[{"name":"a","timestamp":1405630174123,"value":1},{"name":"b","timestamp":1405630174123,"value":2}]'], deviations: ['raw-list'] },
  { name: 'metric-list plain', argv: ['metric-list'] },
  { name: 'metric-list every filter', argv: ['metric-list', '--name', 'cpu.idle_perc', '--dimensions', 'hostname=devstack,service', '--starttime', '2014-07-18T03:00:00Z', '--endtime', '2014-07-19T03:00:00Z', '--offset', '5', '--limit', '10', '--tenant-id', 't-1'] },
  { name: 'metric-list relative --starttime', argv: ['metric-list', '--starttime', '-120'] },
  { name: 'metric-list special characters in dimensions', argv: ['metric-list', '--dimensions', 'url=http://x:8080/a/b?q#f;path=/var log;k;ü=ö'] },
  { name: 'metric-list repeated --dimensions (taken whole)', argv: ['metric-list', '--dimensions', 'a=1', '--dimensions', 'b=2', '--dimensions', 'a=3'] },
  { name: 'metric-list -j', argv: ['metric-list', '-j', '--limit', '2'] },
  { name: 'metric-name-list every flag', argv: ['metric-name-list', '--dimensions', 'hostname=devstack', '--offset', 'cpu.frequency_mhz', '--limit', '2', '--tenant-id', 't-1'] },
  { name: 'metric-name-list -j', argv: ['metric-name-list', '--json'] },
  { name: 'dimension-name-list every flag', argv: ['dimension-name-list', '--metric-name', 'cpu.idle_perc', '--metric-name', 'http_status', '--offset', 'hostname', '--limit', '2', '--tenant-id', 't-1'] },
  { name: 'dimension-name-list -j', argv: ['dimension-name-list', '-j'] },
  { name: 'dimension-value-list every flag', argv: ['dimension-value-list', 'hostname', '--metric-name', 'cpu.idle_perc', '--offset', 'devstack', '--limit', '2', '--tenant-id', 't-1'] },
  { name: 'dimension-value-list -j', argv: ['dimension-value-list', 'service', '-j'] },
  { name: 'measurement-list every flag', argv: ['measurement-list', 'http_status', '2015-03-01T00:00:00Z', '--dimensions', 'hostname=devstack', '--endtime', '2015-03-04T00:00:00Z', '--offset', '0_2015-03-03T05:24:55.123Z', '--limit', '100', '--merge_metrics', '--group_by', 'hostname,service', '--tenant-id', 't-1'] },
  { name: 'measurement-list relative start, group_by *', argv: ['measurement-list', 'cpu.idle_perc', '-60', '--group_by', '*'] },
  { name: 'measurement-list -j', argv: ['measurement-list', 'http_status', '2015-03-01T00:00:00Z', '-j'] },
  { name: 'metric-statistics every flag', argv: ['metric-statistics', 'cpu.system_perc', 'avg,min,max,sum,count', '2014-07-18T03:00:00Z', '--dimensions', 'hostname=devstack', '--endtime', '2014-07-19T03:00:00Z', '--period', '60', '--offset', '2014-07-18T03:22:00Z', '--limit', '50', '--merge_metrics', '--group_by', '*', '--tenant-id', 't-1'] },
  { name: 'metric-statistics lower/upper case statistics, relative start', argv: ['metric-statistics', 'cpu.system_perc', 'AVG,count', '-30'] },
  { name: 'metric-statistics -j', argv: ['metric-statistics', 'cpu.system_perc', 'max', '2014-07-18T03:00:00Z', '-j'] },

  // ── notification methods ─────────────────────────────────────────────────────────────────────
  { name: 'notification-create email', argv: ['notification-create', 'ops-mail', 'EMAIL', 'ops@example.com'] },
  { name: 'notification-create webhook with --period', argv: ['notification-create', 'ops-hook', 'WEBHOOK', 'http://hooks.example.com/alert', '--period', '60'] },
  { name: 'notification-create lower-case type and non-ASCII name', argv: ['notification-create', 'alerte-été', 'pagerduty', 'c4ef2f2c2b3a4f3d'] },
  { name: 'notification-show', argv: ['notification-show', N1] },
  { name: 'notification-show -j', argv: ['notification-show', N1, '-j'] },
  { name: 'notification-list plain', argv: ['notification-list'] },
  { name: 'notification-list every flag', argv: ['notification-list', '--sort-by', 'name desc,id', '--offset', '2', '--limit', '5'] },
  { name: 'notification-list -j', argv: ['notification-list', '-j'] },
  { name: 'notification-delete', argv: ['notification-delete', N1] },
  { name: 'notification-update', argv: ['notification-update', N1, 'ops-mail-2', 'EMAIL', 'ops2@example.com', '0'] },
  { name: 'notification-patch every flag', argv: ['notification-patch', N1, '--name', 'renamed', '--type', 'WEBHOOK', '--address', 'http://h.example.com/', '--period', '60'] },
  { name: 'notification-patch --period 0 only', argv: ['notification-patch', N1, '--period', '0'] },
  { name: 'notification-patch nothing', argv: ['notification-patch', N1] },
  { name: 'notification-type-list', argv: ['notification-type-list'] },
  { name: 'notification-type-list -j', argv: ['notification-type-list', '-j'] },

  // ── alarm definitions ────────────────────────────────────────────────────────────────────────
  { name: 'alarm-definition-create minimal', argv: ['alarm-definition-create', 'cpu high', 'avg(cpu.user_perc) > 90'] },
  { name: 'alarm-definition-create every flag', argv: ['alarm-definition-create', 'cpu high', 'avg(cpu.user_perc{hostname=devstack}) > 90 times 3', '--description', 'CPU above 90%', '--severity', 'high', '--match-by', 'hostname,service', '--alarm-actions', N1, '--alarm-actions', N2, '--ok-actions', N1, '--undetermined-actions', N2] },
  { name: 'alarm-definition-show', argv: ['alarm-definition-show', DEF] },
  { name: 'alarm-definition-show -j', argv: ['alarm-definition-show', DEF, '-j'] },
  { name: 'alarm-definition-list plain', argv: ['alarm-definition-list'], deviations: ['no-bytes'] },
  { name: 'alarm-definition-list every flag', argv: ['alarm-definition-list', '--name', 'cpu high', '--dimensions', 'hostname=devstack', '--severity', 'LOW', '--sort-by', 'severity desc,name', '--offset', '2', '--limit', '5'], deviations: ['no-bytes'] },
  { name: 'alarm-definition-list -j', argv: ['alarm-definition-list', '-j'] },
  { name: 'alarm-definition-delete', argv: ['alarm-definition-delete', DEF] },
  { name: 'alarm-definition-update', argv: ['alarm-definition-update', DEF, 'cpu high', 'CPU above 90%', 'avg(cpu.user_perc) > 90', `${N1},${N2}`, N1, '', 'true', 'hostname', 'CRITICAL'] },
  { name: 'alarm-definition-update empty lists as []', argv: ['alarm-definition-update', DEF, 'n', 'd', 'avg(cpu.user_perc) > 90', '[]', '[]', '[]', 'False', '', 'low'] },
  { name: 'alarm-definition-patch every flag', argv: ['alarm-definition-patch', DEF, '--name', 'renamed', '--description', 'new text', '--expression', 'avg(cpu.user_perc) > 95', '--alarm-actions', `${N1},${N2}`, '--ok-actions', N1, '--ok-actions', N2, '--undetermined-actions', N1, '--actions-enabled', 'false', '--severity', 'Medium'] },
  { name: 'alarm-definition-patch severity only', argv: ['alarm-definition-patch', DEF, '--severity', 'CRITICAL'] },
  { name: 'alarm-definition-patch nothing', argv: ['alarm-definition-patch', DEF] },

  // ── alarms ───────────────────────────────────────────────────────────────────────────────────
  { name: 'alarm-list plain', argv: ['alarm-list'] },
  { name: 'alarm-list every flag', argv: ['alarm-list', '--alarm-definition-id', DEF, '--metric-name', 'cpu.system_perc', '--metric-dimensions', 'hostname=devstack,service', '--state', 'alarm', '--severity', 'HIGH', '--state-updated-start-time', '2015-03-20T00:00:00.000Z', '--lifecycle-state', 'OPEN', '--link', 'http://somesite.com/x', '--sort-by', 'state desc,severity', '--offset', '10', '--limit', '5'] },
  { name: 'alarm-list repeated --metric-dimensions', argv: ['alarm-list', '--metric-dimensions', 'hostname=devstack', '--metric-dimensions', 'service=monitoring'] },
  { name: 'alarm-list -j', argv: ['alarm-list', '-j'] },
  { name: 'alarm-show', argv: ['alarm-show', AL] },
  { name: 'alarm-show -j', argv: ['alarm-show', AL, '--json'] },
  { name: 'alarm-update', argv: ['alarm-update', AL, 'OK', 'RESOLVED', 'http://pagerduty.com/'] },
  { name: 'alarm-patch every flag', argv: ['alarm-patch', AL, '--state', 'ALARM', '--lifecycle-state', 'ACKNOWLEDGED', '--link', 'http://jira.example.com/OPS-1'] },
  { name: 'alarm-patch nothing', argv: ['alarm-patch', AL] },
  { name: 'alarm-patch lower-case --state', argv: ['alarm-patch', AL, '--state', 'ok'], deviations: ['state-upper-cased'] },
  { name: 'alarm-update lower-case state', argv: ['alarm-update', AL, 'alarm', 'OPEN', 'http://x/'], deviations: ['state-upper-cased'] },
  { name: 'alarm-delete', argv: ['alarm-delete', AL] },
  { name: 'alarm-count plain', argv: ['alarm-count'] },
  { name: 'alarm-count every flag', argv: ['alarm-count', '--alarm-definition-id', DEF, '--metric-name', 'cpu.system_perc', '--metric-dimensions', 'hostname=devstack', '--state', 'OK', '--severity', 'low', '--state-updated-start-time', '2015-03-20T00:00:00.000Z', '--lifecycle-state', 'OPEN', '--link', 'http://somesite.com/x', '--group-by', 'state,severity', '--offset', '0', '--limit', '10'] },
  { name: 'alarm-count -j', argv: ['alarm-count', '--group-by', 'name', '-j'] },
  { name: 'alarm-history', argv: ['alarm-history', AL] },
  { name: 'alarm-history every flag', argv: ['alarm-history', AL, '--offset', '1424451007002', '--limit', '1'] },
  { name: 'alarm-history -j', argv: ['alarm-history', AL, '-j'] },
  { name: 'alarm-history-list plain', argv: ['alarm-history-list'] },
  { name: 'alarm-history-list every flag', argv: ['alarm-history-list', '--dimensions', 'hostname=devstack', '--starttime', '2015-02-20T00:00:00Z', '--endtime', '2015-02-21T00:00:00Z', '--offset', '1424451007002', '--limit', '10'] },
  { name: 'alarm-history-list relative --starttime', argv: ['alarm-history-list', '--starttime', '-1440'] },
  { name: 'alarm-history-list -j', argv: ['alarm-history-list', '--dimensions', 'service=monitoring', '-j'] },

  // ── per-command help: same usage, positionals, options and metavars ────────────────────────────
  ...Object.keys(FLAGS).map((cmd): CliCase => ({ name: `help: ${cmd} --help`, argv: [cmd, '--help'], deviations: ['help-additions'] })),
  { name: 'help: monasca help alarm-list', argv: ['help', 'alarm-list'], deviations: ['help-additions'] },

  // ── auth flows ───────────────────────────────────────────────────────────────────────────────
  { name: 'password flow: metric-list', auth: 'password', argv: ['metric-list', '--name', 'cpu.idle_perc'] },
  { name: 'password flow: alarm-definition-create', auth: 'password', argv: ['alarm-definition-create', 'cpu high', 'avg(cpu.user_perc) > 90', '--severity', 'LOW'] },
  { name: 'password flow from OS_* environment', auth: 'password-env', argv: ['notification-list'] },
  { name: 'token flow (token exchanged at Keystone)', auth: 'token', argv: ['alarm-list', '--state', 'OK'] },
  { name: 'admin_token from OS_* environment', auth: 'admin_token-env', argv: ['metric-name-list'] },
  { name: '--monasca-api-url overrides the catalog', auth: 'password+monasca-api-url', argv: ['notification-type-list'] },
  { name: 'password flow, default domain', auth: 'password-default-domain', argv: ['alarm-list'], deviations: ['default-domain'] },
  { name: 'password flow, domain names', auth: 'password-domain-names', argv: ['notification-type-list'] },
  { name: 'password flow, project id', auth: 'password-project-id', argv: ['metric-name-list'] },
  { name: 'password flow, --os-interface internal', auth: 'password-internal', argv: ['metric-list'] },
  { name: 'password flow, --os-region-name RegionTwo', auth: 'password-region-two', argv: ['alarm-count'] },
  { name: 'OS_MONITORING_ENDPOINT_OVERRIDE', auth: 'password+OS_MONITORING_ENDPOINT_OVERRIDE', argv: ['notification-list'] },
  { name: 'application credential flow', auth: 'v3applicationcredential', argv: ['alarm-definition-show', DEF] },
  { name: 'explicit v3password', auth: 'v3password', argv: ['dimension-name-list'] },
  { name: '--os-token without --os-auth-type', auth: 'token-no-auth-type', argv: ['alarm-list'], deviations: ['token-without-auth-type'] },
  { name: 'MONASCA_API_URL overrides the catalog', auth: 'password+MONASCA_API_URL', argv: ['alarm-count'] },
  { name: 'clouds.yaml password', auth: 'cloud-password', argv: ['metric-list'] },
  { name: 'clouds.yaml admin_token', auth: 'cloud-admin_token', argv: ['alarm-list'] },
  { name: 'clouds.yaml token', auth: 'cloud-token', argv: ['metric-name-list'] },
  { name: 'clouds.yaml application credential', auth: 'cloud-appcred', argv: ['notification-list'] },
  { name: 'clouds.yaml + secure.yaml', auth: 'cloud-secure', argv: ['alarm-count'] },
  { name: 'clouds.yaml monitoring_endpoint_override', auth: 'cloud-override', argv: ['notification-type-list'] },
  { name: 'clouds.yaml region_name RegionTwo', auth: 'cloud-region-two', argv: ['alarm-count'] },
  { name: 'clouds.yaml interface internal', auth: 'cloud-internal', argv: ['metric-list'] },
  { name: 'clouds.yaml interface overridden by OS_INTERFACE', auth: 'cloud-env-wins', argv: ['metric-list'] },

  // ── server errors ────────────────────────────────────────────────────────────────────────────
  { name: '404 alarm-show', argv: ['alarm-show', 'no-such-alarm'], faults: [notFound('alarm')] },
  { name: '404 notification-delete', argv: ['notification-delete', 'no-such-id'], faults: [notFound('notification method')] },
  { name: '404 alarm-definition-patch', argv: ['alarm-definition-patch', 'gone', '--name', 'x'], faults: [notFound('alarm definition')] },
  { name: '404 notification-list loses details in Python', argv: ['notification-list'], faults: [notFound('notification method')], deviations: ['error-details'] },
  { name: '422 alarm-definition-create unknown notification id', argv: ['alarm-definition-create', 'bad', 'avg(cpu.user_perc) > 1', '--alarm-actions', 'no-such-notification'], faults: [{ status: 422, title: 'Unprocessable Entity', description: 'Non-existent notification id no-such-notification submitted for ALARM notification action' }] },
  { name: '422 metric-list invalid dimensions', argv: ['metric-list', '--dimensions', 'hostname=dev stack'], faults: [{ status: 422, title: 'Unprocessable Entity', description: 'Dimension value dev stack may not contain: > < = { } ( ) \' " , ; &' }] },
  { name: '409 alarm-definition-create duplicate name', argv: ['alarm-definition-create', 'cpu high', 'avg(cpu.user_perc) > 90'], faults: [{ status: 409, title: 'Conflict', description: 'An alarm definition with the name cpu high already exists' }] },
  { name: '409 measurement-list multiple metrics', argv: ['measurement-list', 'cpu.idle_perc', '2015-03-01T00:00:00Z'], faults: [{ status: 409, title: 'MultipleMetrics', description: 'Found multiple metrics matching metric name and dimensions. Please refine your search criteria using a unique metric name or additional dimensions. Alternatively, you may specify \'merge_metrics=True\' as a query param to combine all metrics matching search criteria into a single series.' }] },
  { name: '401 alarm-list', argv: ['alarm-list'], faults: [{ status: 401, title: 'Unauthorized', description: 'Authorization failed for user token' }] },
  { name: '500 text/plain body', argv: ['metric-name-list'], faults: [{ status: 500, body: 'Internal boom' }] },
  { name: '503 from alarm-count', argv: ['alarm-count'], faults: [{ status: 503, title: 'Service Unavailable', description: 'Kafka is not available' }] },
  { name: '404 JSON body without title (Python prints None)', argv: ['alarm-definition-show', 'x'], faults: [{ status: 404, body: { message: 'nothing here' } }], deviations: ['error-details'] },
  { name: '404 Keystone-style error body', argv: ['notification-show', 'x'], faults: [{ status: 404, body: { error: { code: 404, title: 'Not Found', message: 'Could not find notification x' } } }], deviations: ['error-details'] },

  { name: 'unknown command', argv: ['metric-lst'], deviations: ['unknown-command'] },
  { name: 'unknown command with several suggestions', argv: ['alarm'], deviations: ['unknown-command'] },
  { name: 'global --insecure and --monasca-api-version', argv: ['--insecure', '--monasca-api-version', '2_0', 'metric-name-list'] },
  { name: 'global -j after the command and --os-cacert ignored over http', argv: ['--os-cacert', '/etc/ssl/certs/ca-certificates.crt', 'alarm-count', '-j'] },
  { name: 'password flow, --os-interface admin (not in the catalog)', auth: 'password-admin-interface', argv: ['metric-list'], deviations: ['config-error-wording'] },
  { name: 'connection refused', auth: 'admin_token-unreachable', argv: ['metric-list'], deviations: ['connection-error-reason'] },

  // ── invalid input: refused before any request ────────────────────────────────────────────────
  { name: 'invalid alarm-list --state', argv: ['alarm-list', '--state', 'BROKEN'], deviations: ['invalid-input'] },
  { name: 'alarm-list multi --severity (the API takes LOW|HIGH, Python refuses it)', argv: ['alarm-list', '--severity', 'LOW|high'], deviations: ['api-multi-severity'] },
  { name: 'alarm-count multi --severity', argv: ['alarm-count', '--severity', 'HIGH|CRITICAL', '--group-by', 'severity'], deviations: ['api-multi-severity'] },
  { name: 'alarm-definition-list multi --severity', argv: ['alarm-definition-list', '--severity', 'MEDIUM|CRITICAL', '-j'], deviations: ['api-multi-severity'] },
  { name: 'invalid alarm-list --sort-by field', argv: ['alarm-list', '--sort-by', 'bogus'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-list --sort-by upper-case field (Python checks lower-cased, sends as typed)', argv: ['alarm-list', '--sort-by', 'state desc,Severity'], deviations: ['invalid-input'] },
  { name: 'invalid notification-list --sort-by upper-case field', argv: ['notification-list', '--sort-by', 'NAME'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-definition-create expression (parsed client-side)', argv: ['alarm-definition-create', 'bad', 'avg(cpu.user_perc) >>> 1'], deviations: ['invalid-input'] },
  { name: 'invalid metric-list dimension value the API refuses (= and &)', argv: ['metric-list', '--dimensions', 'url=http://x/?a=1&b=2'], deviations: ['invalid-input'] },
  { name: 'invalid start time after end time', argv: ['metric-list', '--starttime', '2015-03-02T00:00:00Z', '--endtime', '2015-03-01T00:00:00Z'], deviations: ['invalid-input'] },
  { name: 'invalid --limit 0 (the API pages degenerately)', argv: ['metric-list', '--limit', '0'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-count --group-by', argv: ['alarm-count', '--group-by', 'state,color'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-definition-create --severity', argv: ['alarm-definition-create', 'n', 'avg(x) > 1', '--severity', 'foo'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-definition-list --sort-by (case-sensitive in Python)', argv: ['alarm-definition-list', '--sort-by', 'NAME'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-definition-update actions-enabled', argv: ['alarm-definition-update', DEF, 'n', 'd', 'avg(x) > 1', '', '', '', 'yes', '', 'LOW'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-definition-patch --severity', argv: ['alarm-definition-patch', DEF, '--severity', 'urgent'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-update state', argv: ['alarm-update', AL, 'FINE', 'OPEN', 'http://x/'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-patch --state', argv: ['alarm-patch', AL, '--state', 'FINE'], deviations: ['invalid-input'] },
  { name: 'invalid notification-list sort direction (Python warns and still sends)', argv: ['notification-list', '--sort-by', 'name sideways'], deviations: ['invalid-input'] },
  { name: 'invalid metric-statistics statistic', argv: ['metric-statistics', 'cpu', 'avg,median', '2014-07-18T03:00:00Z'], deviations: ['invalid-input'] },
  { name: 'invalid metric-create dimension without =', argv: ['metric-create', 'cpu', '1', '--dimensions', 'hostname'], deviations: ['invalid-input'] },
  { name: 'invalid metric-create dimension value the API refuses (= and &)', argv: ['metric-create', 'cpu', '1', '--dimensions', 'url=http://x/?a=1&b=2', '--time', '1405630174000'], deviations: ['invalid-input'] },
  { name: 'invalid metric-create duplicate dimension key (a list is not a dimension value)', argv: ['metric-create', 'cpu', '1', '--dimensions', 'a=1', '--dimensions', 'a=2', '--time', '1405630174000'], deviations: ['invalid-input'] },
  { name: 'invalid alarm-history-list key-only dimension', argv: ['alarm-history-list', '--dimensions', 'hostname'], deviations: ['invalid-input'] },
  { name: 'invalid relative start time', argv: ['measurement-list', 'cpu', '-abc'], deviations: ['invalid-input'] },
  { name: 'usage error: metric value not a number', argv: ['metric-create', 'cpu', 'abc'] },
  { name: 'usage error: missing positional', argv: ['alarm-show'] },
  { name: 'usage error: metric-create-raw not JSON', argv: ['metric-create-raw', '{name:'] },
  { name: 'configuration error: password without auth URL', auth: 'password-no-auth-url', argv: ['metric-list'], deviations: ['config-error-wording'] },
]

/**
 * Command lines run against the emulator (a faithful server with state, seeded with the demo data at
 * one fixed clock). Placeholders, resolved against that state before the run:
 * `{notification:<name>}`, `{definition:<name>}`, `{alarm:<definition name>:<hostname>}` → ids;
 * `{time:-<minutes>}` → ISO time and `{ms:-<minutes>}` → epoch ms relative to the emulator's clock.
 */
export const EMULATOR_CASES: CliCase[] = [
  { name: 'emulator: metric-list by dimension', argv: ['metric-list', '--dimensions', 'hostname=web-01', '--name', 'cpu.user_perc'] },
  { name: 'emulator: metric-list -j with limit', argv: ['metric-list', '--limit', '3', '-j'] },
  { name: 'emulator: metric-name-list', argv: ['metric-name-list'] },
  { name: 'emulator: dimension-name-list', argv: ['dimension-name-list', '--metric-name', 'cpu.user_perc'] },
  { name: 'emulator: dimension-value-list', argv: ['dimension-value-list', 'hostname'] },
  { name: 'emulator: measurement-list one series', argv: ['measurement-list', 'cpu.user_perc', '{time:-30}', '--dimensions', 'hostname=web-01', '--endtime', '{time:-20}'] },
  { name: 'emulator: measurement-list 409 without merge', argv: ['measurement-list', 'cpu.user_perc', '{time:-30}'] },
  { name: 'emulator: measurement-list merged -j', argv: ['measurement-list', 'cpu.user_perc', '{time:-15}', '--merge_metrics', '-j'] },
  { name: 'emulator: measurement-list group_by', argv: ['measurement-list', 'mem.usable_perc', '{time:-10}', '--group_by', 'hostname'] },
  { name: 'emulator: metric-statistics merged', argv: ['metric-statistics', 'cpu.user_perc', 'avg,max,count', '{time:-240}', '--merge_metrics', '--period', '3600'] },
  { name: 'emulator: metric-statistics group_by -j', argv: ['metric-statistics', 'cpu.user_perc', 'min,sum', '{time:-120}', '--group_by', 'hostname', '--period', '1800', '-j'] },
  { name: 'emulator: metric-create', argv: ['metric-create', 'cli.diff', '1.5', '--dimensions', 'hostname=web-01', '--value-meta', 'note=hi', '--time', '{ms:-1}'] },
  { name: 'emulator: notification-type-list', argv: ['notification-type-list'] },
  { name: 'emulator: notification-list sorted', argv: ['notification-list', '--sort-by', 'name'] },
  { name: 'emulator: notification-show', argv: ['notification-show', '{notification:ops-email}'] },
  { name: 'emulator: notification-create', argv: ['notification-create', 'pager', 'WEBHOOK', 'http://example.com/hook', '--period', '60'] },
  { name: 'emulator: notification-create bad address (server 400, refused client-side)', argv: ['notification-create', 'bad', 'EMAIL', 'name@'], deviations: ['invalid-input'] },
  { name: 'emulator: notification-create 409 duplicate name', argv: ['notification-create', 'ops-email', 'EMAIL', 'x@example.com'] },
  { name: 'emulator: notification-update', argv: ['notification-update', '{notification:ops-email}', 'ops-hook', 'WEBHOOK', 'http://example.com/ops', '60'] },
  { name: 'emulator: notification-patch', argv: ['notification-patch', '{notification:ops-email}', '--address', 'oncall@example.com'] },
  { name: 'emulator: notification-delete', argv: ['notification-delete', '{notification:chat webhook}'] },
  { name: 'emulator: alarm-definition-list sorted', argv: ['alarm-definition-list', '--sort-by', 'name'], deviations: ['no-bytes'] },
  { name: 'emulator: alarm-definition-show', argv: ['alarm-definition-show', '{definition:High CPU usage}'] },
  { name: 'emulator: alarm-definition-create', argv: ['alarm-definition-create', 'memory low', 'avg(mem.usable_perc{}) < 10 times 3', '--severity', 'HIGH', '--match-by', 'hostname', '--alarm-actions', '{notification:ops-email}'] },
  { name: 'emulator: alarm-definition-create 409 duplicate name', argv: ['alarm-definition-create', 'High CPU usage', 'avg(cpu.user_perc) > 1'] },
  { name: 'emulator: alarm-definition-create 422 unknown action', argv: ['alarm-definition-create', 'x', 'avg(cpu.user_perc) > 1', '--alarm-actions', 'no-such-id'] },
  { name: 'emulator: alarm-definition-patch', argv: ['alarm-definition-patch', '{definition:High CPU usage}', '--severity', 'CRITICAL', '--actions-enabled', 'false'] },
  { name: 'emulator: alarm-definition-delete', argv: ['alarm-definition-delete', '{definition:Memory pressure}'] },
  { name: 'emulator: alarm-list', argv: ['alarm-list'] },
  { name: 'emulator: alarm-list filtered and sorted', argv: ['alarm-list', '--state', 'alarm', '--metric-dimensions', 'hostname=web-02', '--sort-by', 'severity desc'] },
  { name: 'emulator: alarm-show', argv: ['alarm-show', '{alarm:High CPU usage:web-02}'] },
  { name: 'emulator: alarm-show 404 (falcon body: title only)', argv: ['alarm-show', '00000000-0000-4000-8000-00000000ffff'], deviations: ['error-details'] },
  { name: 'emulator: alarm-patch', argv: ['alarm-patch', '{alarm:High CPU usage:web-02}', '--lifecycle-state', 'ACKNOWLEDGED', '--link', 'http://jira.example.com/OPS-1'] },
  { name: 'emulator: alarm-update without link (server 422, refused client-side)', argv: ['alarm-update', '{alarm:High CPU usage:web-02}', 'OK', 'OPEN', ''], deviations: ['invalid-input'] },
  { name: 'emulator: alarm-delete', argv: ['alarm-delete', '{alarm:Memory pressure:web-01}'] },
  { name: 'emulator: alarm-count grouped', argv: ['alarm-count', '--group-by', 'state,severity'] },
  { name: 'emulator: alarm-count filtered by dimension, grouped by name', argv: ['alarm-count', '--metric-dimensions', 'hostname=web-02', '--group-by', 'name'] },
  { name: 'emulator: alarm-list second page', argv: ['alarm-list', '--sort-by', 'alarm_definition_name', '--limit', '3', '--offset', '3'] },
  { name: 'emulator: metric-list second page', argv: ['metric-list', '--limit', '2', '--offset', '1'] },
  { name: 'emulator: alarm-definition-list several severities', argv: ['alarm-definition-list', '--severity', 'HIGH|CRITICAL', '-j'], deviations: ['api-multi-severity'] },
  { name: 'emulator: notification-list page of one', argv: ['notification-list', '--limit', '1', '--sort-by', 'name'] },
  { name: 'emulator: alarm-history', argv: ['alarm-history', '{alarm:High CPU usage:web-02}'] },
  { name: 'emulator: alarm-history-list', argv: ['alarm-history-list', '--dimensions', 'hostname=web-02', '--starttime', '{time:-2880}', '-j'] },
]

/** How a Keystone case authenticates at the real Keystone (scripts/keystone.sh); see keystone-diff.test.ts. */
export type KeystoneAuth =
  | 'password' // --os-auth-url … --os-username … --os-password … --os-project-name … domain ids
  | 'password-env' // the same through OS_* variables
  | 'password-domain-names' // --os-user-domain-name / --os-project-domain-name
  | 'password-default-domain' // no domain options at all
  | 'password-region' // plus --os-region-name RegionOne --os-interface public
  | 'token' // --os-auth-type token with a token the test got from Keystone, rescoped to the project
  | 'v3applicationcredential' // an application credential the test creates for the admin user
  | 'wrong-password' // Keystone answers 401
  | 'unknown-region' // --os-region-name Nowhere: no monitoring endpoint there
  // clouds.yaml (OS_CLIENT_CONFIG_FILE, and OS_CLIENT_SECURE_FILE for the split), chosen with --os-cloud or OS_CLOUD:
  | 'cloud-password' // auth_type password, everything in clouds.yaml
  | 'cloud-appcred' // auth_type v3applicationcredential
  | 'cloud-token' // auth_type token, a token the test got from Keystone, project id
  | 'cloud-endpoint-override' // monitoring_endpoint_override instead of the catalog
  | 'cloud-secure-split' // the password in secure.yaml, the rest in clouds.yaml
  | 'cloud-region' // region_name and interface in the cloud
  | 'cloud-env' // OS_CLOUD instead of --os-cloud
  | 'cloud-flag-wins' // --os-region-name on the command line over the cloud's region_name
  | 'cloud-unknown' // --os-cloud names a cloud the file lacks

export interface KeystoneCase extends CliCase {
  keystone: KeystoneAuth
}

/** Command lines run with real Keystone authentication; Monasca calls land on the recording server. */
export const KEYSTONE_CASES: KeystoneCase[] = [
  { name: 'keystone password: metric-list', keystone: 'password', argv: ['metric-list', '--dimensions', 'hostname=devstack'] },
  { name: 'keystone password from OS_* environment: alarm-definition-create', keystone: 'password-env', argv: ['alarm-definition-create', 'cpu high', 'avg(cpu.user_perc) > 90', '--severity', 'HIGH'] },
  { name: 'keystone password with domain names: notification-list', keystone: 'password-domain-names', argv: ['notification-list'] },
  { name: 'keystone password with region and interface: alarm-count', keystone: 'password-region', argv: ['alarm-count', '--group-by', 'state'] },
  { name: 'keystone password without domain options', keystone: 'password-default-domain', argv: ['metric-name-list'], deviations: ['default-domain'] },
  { name: 'keystone token flow: alarm-list', keystone: 'token', argv: ['alarm-list', '--state', 'ALARM'] },
  { name: 'keystone application credential: metric-name-list', keystone: 'v3applicationcredential', argv: ['metric-name-list'] },
  { name: 'keystone wrong password', keystone: 'wrong-password', argv: ['metric-list'], deviations: ['error-details'] },
  { name: 'keystone unknown region', keystone: 'unknown-region', argv: ['metric-list'], deviations: ['config-error-wording'] },
  { name: 'clouds.yaml password: metric-list', keystone: 'cloud-password', argv: ['metric-list', '--dimensions', 'hostname=devstack'] },
  { name: 'clouds.yaml application credential: metric-name-list', keystone: 'cloud-appcred', argv: ['metric-name-list'] },
  { name: 'clouds.yaml token: alarm-list', keystone: 'cloud-token', argv: ['alarm-list', '--state', 'ALARM'] },
  { name: 'clouds.yaml monitoring_endpoint_override: notification-list', keystone: 'cloud-endpoint-override', argv: ['notification-list'] },
  { name: 'clouds.yaml + secure.yaml: alarm-count', keystone: 'cloud-secure-split', argv: ['alarm-count'] },
  { name: 'clouds.yaml region and interface: metric-name-list', keystone: 'cloud-region', argv: ['metric-name-list'] },
  { name: 'clouds.yaml through OS_CLOUD: alarm-definition-list', keystone: 'cloud-env', argv: ['alarm-definition-list'], deviations: ['no-bytes'] },
  { name: 'clouds.yaml region overridden by --os-region-name: metric-list', keystone: 'cloud-flag-wins', argv: ['metric-list'], deviations: ['config-error-wording'] },
  { name: 'clouds.yaml unknown cloud', keystone: 'cloud-unknown', argv: ['metric-list'], deviations: ['config-error-wording'] },
]
