import { describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'

const NOW = Date.UTC(2026, 2, 10, 15, 30, 0)

describe("seed: 'demo'", () => {
  const clock = { now: NOW }
  const emulator = createEmulator({ seed: 'demo', clock: () => clock.now })
  const demo = emulator.projectId('demo')

  it('seeds every project with hosts, services and a week of metrics', () => {
    for (const project of [demo, emulator.projectId('admin')]) {
      const metrics = emulator.data.metrics(project)
      expect(new Set(metrics.map((m) => m.dimensions.hostname))).toEqual(new Set(['web-01', 'web-02', 'db-01', 'batch-01']))
      expect(new Set(metrics.map((m) => m.dimensions.service))).toEqual(new Set(['web', 'database', 'batch']))
      const cpu = metrics.find((m) => m.name === 'cpu.user_perc' && m.dimensions.hostname === 'web-01')!
      expect(cpu.measurements[0]![0]).toBe(NOW - 7 * 86_400_000)
      expect(cpu.measurements.at(-1)![0]).toBe(NOW)
    }
  })

  it('has alarms in every state, each with history, and definitions whose actions exist', () => {
    const alarms = emulator.data.alarms(demo)
    expect(new Set(alarms.map((a) => a.state))).toEqual(new Set(['OK', 'ALARM', 'UNDETERMINED']))
    const history = emulator.data.stateHistory(demo)
    for (const a of alarms) expect(history.some((h) => h.alarm_id === a.id), a.alarm_definition.name).toBe(true)
    const methods = new Set(emulator.data.notificationMethods(demo).map((n) => n.id))
    expect(methods.size).toBe(3)
    for (const d of emulator.data.alarmDefinitions(demo)) {
      for (const id of [...d.alarm_actions, ...d.ok_actions, ...d.undetermined_actions]) expect(methods.has(id)).toBe(true)
    }
    const cpu = alarms.find((a) => a.alarm_definition.name === 'High CPU usage' && a.state === 'ALARM')!
    expect(cpu.metrics[0]!.dimensions.hostname).toBe('web-02')
    expect(cpu.lifecycle_state).toBe('ACKNOWLEDGED')
    expect(alarms.filter((a) => a.state === 'UNDETERMINED').every((a) => a.metrics[0]!.dimensions.hostname === 'batch-01')).toBe(true)
  })

  it('keeps feeding the same curves with demo.tick()', () => {
    const before = emulator.data.metrics(demo).find((m) => m.name === 'cpu.user_perc' && m.dimensions.hostname === 'web-01')!.measurements.length
    clock.now += 30_000
    emulator.demo!.tick()
    const after = emulator.data.metrics(demo).find((m) => m.name === 'cpu.user_perc' && m.dimensions.hostname === 'web-01')!.measurements
    expect(after.length).toBe(before + 1)
    expect(after.at(-1)![0]).toBe(clock.now)
    const batch = emulator.data.metrics(demo).find((m) => m.dimensions.hostname === 'batch-01')!
    expect(batch.measurements.at(-1)![0]).toBeLessThanOrEqual(NOW - 3 * 3_600_000)
  })

  it('answers the dashboard queries: names, dimension values, grouped statistics', async () => {
    const token = emulator.issueToken({ projectId: demo })
    const get = async (path: string) => (await emulator.fetch(path, { headers: { 'X-Auth-Token': token } })).json()
    expect((await get('/v2.0/metrics/names')).elements.length).toBeGreaterThanOrEqual(6)
    expect((await get('/v2.0/metrics/dimensions/names/values?dimension_name=hostname')).elements).toHaveLength(4)
    const start = new Date(NOW - 86_400_000).toISOString()
    const stats = await get(`/v2.0/metrics/statistics?name=cpu.user_perc&start_time=${encodeURIComponent(start)}&statistics=avg&period=3600&group_by=hostname`)
    expect(stats.elements).toHaveLength(4)
    for (const e of stats.elements) expect(e.statistics.length).toBeGreaterThanOrEqual(20)
  })
})
