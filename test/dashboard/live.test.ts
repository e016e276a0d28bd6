// @vitest-environment happy-dom
/** The refresh control with fake timers: its interval, one refresh at a time, paused while the tab is hidden. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Refresher } from '../../examples/dashboard/src/lib/live.js'

/** A document whose visibility the test sets. */
function fakeDocument() {
  const target = new EventTarget()
  const doc = {
    hidden: false,
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
    setHidden(hidden: boolean) {
      doc.hidden = hidden
      target.dispatchEvent(new Event('visibilitychange'))
    },
  }
  return doc
}

describe('Refresher', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('refreshes every N seconds, counted from the last update, and not at all when off', async () => {
    const doc = fakeDocument()
    const refresh = vi.fn(async () => undefined)
    const refresher = new Refresher({ refresh, document: doc as unknown as Document })
    refresher.markUpdated()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(refresh).not.toHaveBeenCalled()
    // Turned on long after the last update: it catches up at once.
    refresher.setInterval(10)
    await vi.advanceTimersByTimeAsync(0)
    expect(refresh).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(9_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(refresh).toHaveBeenCalledTimes(2)
    // The page reloading itself (a filter change) pushes the next tick back.
    await vi.advanceTimersByTimeAsync(5_000)
    refresher.markUpdated()
    await vi.advanceTimersByTimeAsync(9_000)
    expect(refresh).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(refresh).toHaveBeenCalledTimes(3)
    refresher.setInterval(0)
    await vi.advanceTimersByTimeAsync(120_000)
    expect(refresh).toHaveBeenCalledTimes(3)
    refresher.dispose()
  })

  it('pauses while the tab is hidden and catches up when it is shown again', async () => {
    const doc = fakeDocument()
    const refresh = vi.fn(async () => undefined)
    const refresher = new Refresher({ refresh, document: doc as unknown as Document })
    refresher.setInterval(30)
    refresher.markUpdated()
    doc.setHidden(true)
    expect(refresher.paused).toBe(true)
    await vi.advanceTimersByTimeAsync(300_000)
    expect(refresh).not.toHaveBeenCalled()
    doc.setHidden(false)
    expect(refresher.paused).toBe(false)
    await vi.advanceTimersByTimeAsync(0)
    expect(refresh).toHaveBeenCalledTimes(1)
    // Shown again before the interval has passed: it waits for the rest of it.
    doc.setHidden(true)
    await vi.advanceTimersByTimeAsync(10_000)
    doc.setHidden(false)
    await vi.advanceTimersByTimeAsync(19_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(refresh).toHaveBeenCalledTimes(2)
    refresher.dispose()
  })

  it('never runs two refreshes at once, and records when the last one finished', async () => {
    const doc = fakeDocument()
    let finish!: () => void
    const refresh = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)))
    const refresher = new Refresher({ refresh, document: doc as unknown as Document, now: () => Date.now() })
    refresher.setInterval(10)
    const first = refresher.tick()
    void refresher.tick()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(refresher.lastUpdated).toBeUndefined()
    finish()
    await first
    expect(refresher.lastUpdated).toBe(Date.now())
    refresher.dispose()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})
