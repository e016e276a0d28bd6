/**
 * Random command lines never crash the CLI: every run ends with exit 0, 1 or 2, a refused command
 * line (2) sends nothing, and no JavaScript error text (TypeError, stack frames) reaches the user.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { allOptions } from '../../src/cli/argv.js'
import { COMMANDS, loadCommand } from '../../src/cli/commands/index.js'
import { captureFetch, json } from '../helpers/capture.js'
import { runCli } from './run.js'

const FLAGS = [
  '--dimensions', '--value-meta', '--time', '--project-id', '--name', '--starttime', '--endtime', '--offset', '--limit',
  '--tenant-id', '--metric-name', '--merge_metrics', '--group_by', '--period', '--sort-by', '--severity', '--state',
  '--match-by', '--alarm-actions', '--ok-actions', '--actions-enabled', '--description', '--expression', '--type',
  '--address', '--metric-dimensions', '--lifecycle-state', '--link', '--group-by', '--all', '--chart', '-j', '-h', '--',
]
const VALUES = [
  'cpu', 'a=b', 'a=b,c', 'k', '', '-60', '-1.5', '1', '0', 'abc', 'LOW', 'low|HIGH', 'ALARM', 'name desc', 'state,severity',
  'true', 'True', 'avg,max', '2024-01-01T00:00:00Z', '[]', '{"name":"m","value":1,"timestamp":1}', '[1]', 'avg(cpu) > 1',
  'x;y', 'ü=日本', '*', '300', 'EMAIL', 'a@b.c', 'http://h/x?y=1&z',
]

/** Answers every request with something plausible for its path (lists, a resource, 204, or an error). */
function answer(method: string, path: string, failing: boolean): Response {
  if (failing) return json({ title: 'Unprocessable Entity', description: 'no' }, 422)
  if (method === 'DELETE' || (method === 'POST' && path.endsWith('/metrics'))) return new Response(null, { status: 204 })
  if (path.endsWith('/count')) return json({ links: [], columns: ['count', 'state'], counts: [[1, 'OK']] })
  if (method === 'GET' && /(measurements|statistics)$/.test(path)) {
    return json({ links: [], elements: [{ id: '1', name: 'cpu', dimensions: { h: 'x' }, columns: ['timestamp', 'value', 'value_meta'], measurements: [['2024-01-01T00:00:00Z', 1.5, {}]], statistics: [['2024-01-01T00:00:00Z', 2]] }] })
  }
  if (method === 'GET' && !/\/[0-9a-z-]{1,40}$/.test(path.replace(/\/(metrics|names|values|types|alarms|alarm-definitions|notification-methods|state-history)$/, ''))) {
    return json({ links: [], elements: [{ id: 'i', name: 'n', dimensions: {}, metrics: [{ name: 'm', dimensions: { a: 'b' } }], alarm_definition: { id: 'd', name: 'n', severity: 'LOW' }, state: 'OK', type: 'EMAIL', address: 'a', period: 0, match_by: [], actions_enabled: true, expression: 'e' }] })
  }
  return json({ id: 'x', name: 'n', links: [{ rel: 'self', href: 'h' }] })
}

describe('random command lines', () => {
  it('end in 0, 1 or 2 without crashing, and a refused line sends nothing', async () => {
    // Mostly well-formed lines built from each command's own options, with some noise mixed in.
    const specs = await Promise.all(COMMANDS.map(([name]) => loadCommand(name)))
    const value: fc.Arbitrary<string> = fc.constantFrom(...VALUES)
    const argvArb = fc.constantFrom(...specs).chain((spec) => {
      const own = allOptions(spec as never).filter((o) => o.flag !== '--help')
      const option: fc.Arbitrary<string[]> = fc.constantFrom(...own).chain((o) => (o.boolean ? fc.constant([o.flag]) : value.map((v) => [o.flag, v])))
      return fc.record({
        command: fc.constant(spec!.name),
        positionals: fc.array(value, { minLength: spec!.positionals.length, maxLength: spec!.positionals.length }),
        options: fc.array(option, { maxLength: 4 }).map((l) => l.flat()),
        noise: fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...FLAGS), value), { maxLength: 3 }) }),
        failing: fc.boolean(),
      })
    })
    const codes = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(argvArb, async ({ command, positionals, options, noise, failing }) => {
        const { fetch, calls } = captureFetch((r) => answer(r.method, r.path, failing))
        const out = await runCli([command, ...positionals, ...options, ...noise], { fetch })
        expect([0, 1, 2]).toContain(out.code)
        codes.set(out.code, (codes.get(out.code) ?? 0) + 1)
        if (out.code === 2) expect(calls).toHaveLength(0)
        expect(out.stderr).not.toMatch(/TypeError|ReferenceError|is not a function|Cannot read properties|\n\s+at /)
        expect(out.stdout).not.toMatch(/undefined|\[object Object\]/)
      }),
      { numRuns: 400, seed: 11 },
    )
    // The generator reaches every outcome: successes, failed requests and refused lines.
    expect(codes.get(0)).toBeGreaterThan(20)
    expect(codes.get(1)).toBeGreaterThan(5)
    expect(codes.get(2)).toBeGreaterThan(20)
  })
})
