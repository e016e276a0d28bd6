// The ways to authenticate with Keystone, their token life and stores, in Node.
//   npm start & node examples/keystone.mjs            # the emulator's Keystone on 127.0.0.1:8070 (demo / demo-secret)
//   OS_AUTH_URL=http://127.0.0.1:5000 OS_USERNAME=admin OS_PASSWORD=admin-secret OS_PROJECT_NAME=admin \
//     node examples/keystone.mjs                      # a real Keystone (bash scripts/keystone.sh start)
import { createClient, identity, Session, KeystoneAuthError } from 'monasca-client'
import { fileStore } from 'monasca-client/node'

const authUrl = process.env.OS_AUTH_URL ?? 'http://127.0.0.1:8070/v3' // "/v3" is added when missing
const username = process.env.OS_USERNAME ?? 'demo'
const password = process.env.OS_PASSWORD ?? 'demo-secret'
const projectName = process.env.OS_PROJECT_NAME ?? 'demo'
const log = (label, value) => console.log(label.padEnd(34), value)

// 1. A Session: the identity, where its token lives (here a 0600 file under ~/.cache/monasca-client,
//    so the next run of this script asks Keystone for nothing while the token is good).
const session = new Session({
  auth: new identity.Password({ authUrl, username, password, projectName, userDomainId: 'default', projectDomainId: 'default' }),
  store: fileStore(),
})
const access = await session.getAccess()
log('user / project', `${access.userName} / ${access.projectName}`)
log('token expires (Keystone clock)', access.expiresAt?.toISOString())
log('roles', access.roles.join(', '))
log('monitoring endpoint (catalog)', await session.getEndpoint({ serviceType: 'monitoring', interface: ['internal', 'public'] }))

const monasca = createClient({ apiVersion: '2_0', session })
log('alarms in ALARM state', (await monasca.alarms.list({ state: 'ALARM' })).length)

// 2. A token issued before (the dashboard case): validated at Keystone; it cannot be renewed, so
//    the session says when it ends instead of failing at random.
const token = await session.getToken()
const withToken = createClient({
  apiVersion: '2_0',
  token,
  authUrl,
  onExpired: (error) => console.log('log in again:', error.message),
})
log('notification methods (token)', (await withToken.notifications.list()).length)

// 3. Username and password, as the Python client takes them.
const withPassword = createClient({ apiVersion: '2_0', username, password, projectName, authUrl })
log('alarm definitions (password)', (await withPassword.alarmDefinitions.list()).length)

// A wrong password: one request, a typed error, and the password nowhere in it.
try {
  await createClient({ username, password: 'wrong', projectName, authUrl }).alarms.list()
} catch (error) {
  if (!(error instanceof KeystoneAuthError)) throw error
  log('wrong password', `${error.name} ${error.status}: ${error.description}`)
}
