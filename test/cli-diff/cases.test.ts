/** The case list covers what issue 5 asks: ≥60 command lines, every command, every flag, the error classes. */
import { describe, expect, it } from 'vitest'
import { CASES, FLAGS } from './cases.js'
import { DEVIATIONS } from './compare.js'

describe('cli-diff case list', () => {
  it('has at least 60 command lines with unique names', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60)
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length)
  })

  it('runs all 29 commands', () => {
    expect(Object.keys(FLAGS)).toHaveLength(29)
    const run = new Set(CASES.map((c) => c.argv[0]))
    expect(Object.keys(FLAGS).filter((cmd) => !run.has(cmd))).toEqual([])
  })

  it('uses every flag of every command in a case that is compared request by request', () => {
    const missing: string[] = []
    for (const [cmd, flags] of Object.entries(FLAGS)) {
      const used = new Set(
        CASES.filter((c) => c.argv[0] === cmd && !c.deviations?.includes('invalid-input')).flatMap((c) => c.argv.filter((a) => a.startsWith('--'))),
      )
      for (const flag of flags) if (!used.has(flag)) missing.push(`${cmd} ${flag}`)
    }
    expect(missing).toEqual([])
  })

  it('uses -j/--json on list and show commands', () => {
    const withJson = new Set(CASES.filter((c) => c.argv.includes('-j') || c.argv.includes('--json')).map((c) => c.argv[0]))
    const listOrShow = Object.keys(FLAGS).filter((cmd) => /-(list|show|count|history|statistics)$/.test(cmd))
    expect(listOrShow.filter((cmd) => !withJson.has(cmd))).toEqual([])
  })

  it('has server errors 401, 404, 409, 422, 5xx and client-side refusals', () => {
    const statuses = new Set(CASES.flatMap((c) => c.faults?.map((f) => f.status) ?? []))
    for (const s of [401, 404, 409, 422, 500, 503]) expect(statuses).toContain(s)
    expect(CASES.filter((c) => c.deviations?.includes('invalid-input')).length).toBeGreaterThanOrEqual(10)
  })

  it('covers the password, token, admin_token and endpoint-override flows', () => {
    const modes = new Set(CASES.map((c) => c.auth ?? 'admin_token'))
    for (const m of ['admin_token', 'admin_token-env', 'password', 'password-env', 'token', 'password+monasca-api-url', 'password+MONASCA_API_URL']) expect(modes).toContain(m)
  })

  it('gives every deviation a reason and uses each at least once', () => {
    for (const [id, d] of Object.entries(DEVIATIONS)) {
      expect(d.reason.length, id).toBeGreaterThan(40)
      expect(CASES.some((c) => c.deviations?.includes(id as keyof typeof DEVIATIONS)), id).toBe(true)
    }
  })
})
