// A Monasca client from clouds.yaml, as the `openstack` and `monasca` CLIs read it (Node only).
//   node examples/clouds.mjs mycloud        # or OS_CLOUD=mycloud node examples/clouds.mjs
// Against `npm start`, a clouds.yaml in the current directory (or ~/.config/openstack/) such as:
//   clouds:
//     demo:
//       auth: { auth_url: http://127.0.0.1:8070/v3, username: demo, password: demo-secret, project_name: demo }
import { CloudConfigError, clientFromCloud, loadCloud } from 'monasca-client/node'

const name = process.argv[2] // undefined: OS_CLOUD, else the only cloud of the file
try {
  const settings = await loadCloud(name ?? process.env.OS_CLOUD)
  // Never print the settings as a whole: they hold the password or secret.
  console.log(`cloud ${settings.cloud} from ${settings.file}${settings.secureFile ? ` (+ ${settings.secureFile})` : ''}`)
  const monasca = await clientFromCloud(settings.cloud)
  console.log(`endpoint ${await monasca.endpoint()}`)
  const { counts } = await monasca.alarms.count({ group_by: ['state'] })
  for (const [count, state] of counts) console.log(`${state} ${count}`)
} catch (error) {
  // An unknown cloud or a bad key: the message names the file and lists the clouds found.
  if (error instanceof CloudConfigError) {
    console.error(error.message)
    process.exitCode = 1
  } else throw error
}
