/**
 * monasca-emulator: serve the in-memory Monasca + Keystone emulator on 127.0.0.1 and print how to
 * point the SDK, our CLI and the Python `monasca` client at it; with --tour, first show the SDK and
 * the CLI working against it (what `npm start` does).
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_USERS, createEmulator } from '../emulator/index.js'
import { serveEmulator } from '../emulator/serve.js'
import { runTour } from './tour.js'

const HELP = `Usage: monasca-emulator [options]

An in-memory OpenStack Monasca v2.0 API with the Keystone v3 subset clients use.

Options:
  --port N               port on the host (default 8070; 0 picks a free one)
  --host H               address to listen on (default 127.0.0.1)
  --demo                 seed demo data: hosts, a week of metrics, alarms in every state, notifications
  --tick-seconds N       with --demo, post fresh demo metrics every N seconds (default 30; 0 = off)
  --token-lifetime N     lifetime of Keystone tokens in seconds (default 3600)
  --token T              a static token for project "demo" with role monasca-user (default demo-token)
  --cors-origin O        allowed browser origin (repeatable; default: any origin)
  --dashboard DIR        serve the built files in DIR under /dashboard/ (same origin as the API;
                         npm start serves dist/dashboard)
  --tour                 once listening, show the SDK and our CLI (dist/bin/monasca.js) at work
                         against this server, through its Keystone (implies --demo; npm start uses it)
  --log                  print one line per request
  -h, --help             this help
`

function main(): void {
  let parsed
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string', default: '8070' },
        host: { type: 'string', default: '127.0.0.1' },
        demo: { type: 'boolean', default: false },
        'tick-seconds': { type: 'string', default: '30' },
        'token-lifetime': { type: 'string', default: '3600' },
        token: { type: 'string', default: 'demo-token' },
        'cors-origin': { type: 'string', multiple: true },
        dashboard: { type: 'string' },
        log: { type: 'boolean', default: false },
        tour: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    })
  } catch (error) {
    process.stderr.write(`monasca-emulator: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`)
    process.exit(2)
  }
  const { values } = parsed
  if (values.help) {
    process.stdout.write(HELP)
    return
  }
  const number = (name: string, text: string): number => {
    const n = Number(text)
    if (!Number.isInteger(n) || n < 0) {
      process.stderr.write(`monasca-emulator: --${name} must be a non-negative integer, got ${JSON.stringify(text)}\n`)
      process.exit(2)
    }
    return n
  }
  const port = number('port', values.port)
  const tickSeconds = number('tick-seconds', values['tick-seconds'])
  const lifetime = number('token-lifetime', values['token-lifetime'])
  const staticToken = values.token
  const demo = values.demo || values.tour
  const dashboard = values.dashboard
  if (dashboard !== undefined && !existsSync(join(dashboard, 'index.html'))) {
    process.stderr.write(`monasca-emulator: --dashboard ${dashboard}: no index.html there (build the dashboard first)\n`)
    process.exit(2)
  }

  // The static token needs the project id, which the emulator derives from the name: create once to learn it.
  const demoProjectId = createEmulator().projectId('demo')
  const emulator = createEmulator({
    ...(demo ? { seed: 'demo' as const } : {}),
    tokenLifetimeSeconds: lifetime,
    tokens: { [staticToken]: { projectId: demoProjectId, roles: ['monasca-user'] } },
    ...(values.log
      ? { onRequest: (e) => process.stdout.write(`${new Date().toISOString()} ${e.method} ${e.url} -> ${e.status}\n`), requestLogSize: 0 }
      : { requestLogSize: 0 }),
  })

  serveEmulator(emulator, {
    port,
    host: values.host,
    ...(values['cors-origin'] ? { corsOrigins: values['cors-origin'] } : {}),
    ...(dashboard !== undefined ? { dashboard } : {}),
  }).then(
    async (served) => {
      // Listening on every interface: show the loopback address clients on this machine can use.
      const root = /^(0\.0\.0\.0|::|\[::\])$/.test(values.host) ? `http://127.0.0.1:${served.port}` : served.url
      const demoUser = DEFAULT_USERS.find((u) => u.name === 'demo')!
      let ticker: ReturnType<typeof setInterval> | undefined
      const tour = new AbortController()
      const stop = () => {
        if (ticker) clearInterval(ticker)
        // The tour's CLI child first: nothing of ours may outlive the server.
        tour.abort()
        served.close().then(
          () => process.exit(0),
          () => process.exit(0),
        )
      }
      // Ctrl+C, kill, a closed terminal. A second signal while closing ends the process at once.
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop)
      process.stdout.write(
        `Monasca emulator listening on ${root}${demo ? ' (demo data loaded)' : ''}\n\n${dashboard !== undefined ? `  Dashboard     ${root}/dashboard/\n` : ''}  Keystone v3   ${root}/v3\n  Monasca v2.0  ${root}/v2.0\n`,
      )
      if (values.tour) {
        // Our CLI sits next to this file in dist/bin; show it by a path relative to where we run.
        // (Not `new URL('./monasca.js', import.meta.url)`: vite would inline that file as an asset.)
        const cliFile = join(dirname(fileURLToPath(import.meta.url)), 'monasca.js')
        const cliPath = relative(process.cwd(), cliFile) || cliFile
        await runTour({ root, cliPath, signal: tour.signal }).catch((error: unknown) => {
          process.stdout.write(`\nThe tour stopped: ${error instanceof Error ? error.message : String(error)}\n`)
        })
      }
      const lines = [
        '',
        'Credentials (user domain and project domain "default"):',
        ...DEFAULT_USERS.map((u) => `  ${`${u.name} / ${u.password}`.padEnd(28)} ${Object.entries(u.projects).map(([p, r]) => `project ${p}: ${r.join(', ')}`).join('; ')}`),
        `  static token ${staticToken.padEnd(15)} project demo: monasca-user (no Keystone needed)`,
        '',
        'TypeScript SDK:',
        `  import { createClient } from 'monasca-client'`,
        `  const client = createClient({ authUrl: '${root}/v3',`,
        `                                username: '${demoUser.name}', password: '${demoUser.password}', projectName: 'demo' })`,
        `  console.log(await client.alarms.list())`,
        '',
        'Our CLI (after npm run build):',
        `  node dist/bin/monasca.js --os-auth-url ${root}/v3 \\`,
        `    --os-username ${demoUser.name} --os-password ${demoUser.password} --os-project-name demo metric-list`,
        `  or: export OS_AUTH_URL=${root}/v3 OS_USERNAME=${demoUser.name} OS_PASSWORD=${demoUser.password} \\`,
        `             OS_PROJECT_NAME=demo OS_USER_DOMAIN_ID=default OS_PROJECT_DOMAIN_ID=default`,
        `      node dist/bin/monasca.js alarm-list`,
        '',
        'Python monasca client (python3-monascaclient):',
        `  monasca --os-auth-url ${root}/v3 --os-username ${demoUser.name} --os-password ${demoUser.password} \\`,
        `    --os-project-name demo --os-user-domain-id default --os-project-domain-id default metric-list`,
        `  monasca --os-auth-type admin_token --os-token ${staticToken} \\`,
        `    --os-endpoint ${root}/v2.0 alarm-list`,
        '',
        ...(dashboard !== undefined
          ? [
              `Dashboard: ${root}/dashboard/`,
              `  log in as ${demoUser.name} / ${demoUser.password}, project demo (any login above works), or paste the token ${staticToken}`,
              '',
            ]
          : []),
        'Press Ctrl+C to stop.',
      ]
      process.stdout.write(`${lines.join('\n')}\n`)
      if (emulator.demo && tickSeconds > 0) ticker = setInterval(() => emulator.demo?.tick(), tickSeconds * 1000)
    },
    (error: unknown) => {
      const code = (error as { code?: string }).code
      process.stderr.write(
        `monasca-emulator: cannot listen on ${values.host}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use (try --port 0)' : error instanceof Error ? error.message : String(error)}\n`,
      )
      process.exit(1)
    },
  )
}

main()
