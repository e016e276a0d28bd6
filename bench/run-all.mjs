// `npm run bench`: builds once, then runs every bench/*.mjs (each prints its own figures), one after another.
//   npm run bench              every bench
//   npm run bench -- size      only the benches whose file name contains "size"
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const filter = process.argv[2]
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.mjs') && file !== 'run-all.mjs' && !file.startsWith('_'))
  .filter((file) => !filter || file.includes(filter))
  .sort()

const built = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit', cwd: fileURLToPath(new URL('..', import.meta.url)) })
if (built.status !== 0) process.exit(built.status ?? 1)

let failed = 0
for (const file of benches) {
  console.log(`\n=== bench/${file}`)
  // --expose-gc for the memory benches (series-memory measures heap after a forced collection).
  const run = spawnSync(process.execPath, ['--expose-gc', `${here}${file}`], { stdio: 'inherit' })
  if (run.status !== 0) {
    failed++
    console.log(`bench/${file} exited with ${run.status ?? run.signal}`)
  }
}
process.exit(failed ? 1 : 0)
