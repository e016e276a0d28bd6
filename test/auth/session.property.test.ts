// Random interleavings of time, bursts of callers and 401s: the Session's promises hold in all of them.
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Session, identity } from '../../src/auth/index.js'
import { fakeKeystone } from './fake-keystone.js'

type Step =
  | { kind: 'wait'; seconds: number }
  | { kind: 'burst'; callers: number }
  | { kind: 'reject'; which: 'current' | 'stale' }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 0, max: 4000 }) }),
  fc.record({ kind: fc.constant('burst' as const), callers: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('reject' as const), which: fc.constantFrom('current' as const, 'stale' as const) }),
)

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-05-01T12:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

// One identity for every run: its store key (a PBKDF2 verifier inside) is computed once.
const auth = new identity.Password({ authUrl: 'http://keystone.test', userId: 'u1', password: 'correct-horse', projectId: 'p1' })

describe('Session under random schedules', () => {
  it('one request per needed token, never a token near its end, never a rejected token again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.integer({ min: -600_000, max: 600_000 }), async (steps, skewMs) => {
        const keystone = fakeKeystone({ lifetime: 3600, skewMs })
        const session = new Session({ auth, fetch: keystone.fetch })
        const rejected = new Set<string>()
        let current: string | undefined
        for (const s of steps) {
          if (s.kind === 'wait') vi.setSystemTime(Date.now() + s.seconds * 1000)
          else if (s.kind === 'reject') {
            const token = s.which === 'current' ? current : 'tok-0'
            if (token !== undefined) {
              expect(session.invalidate(token)).toBe(true)
              rejected.add(token)
            }
          } else {
            const before = keystone.tokenRequests().length
            const tokens = await Promise.all(Array.from({ length: s.callers }, () => session.getToken()))
            const requests = keystone.tokenRequests().length - before
            expect(new Set(tokens).size).toBe(1)
            expect(requests).toBeLessThanOrEqual(1)
            const token = tokens[0]!
            expect(rejected.has(token)).toBe(false)
            // At least 120 s of life left on Keystone's clock.
            const access = await session.getAccess()
            expect(access.expiresAt!.getTime() - (Date.now() + skewMs)).toBeGreaterThanOrEqual(120_000 - 1000)
            if (requests === 0) expect(token).toBe(current)
            current = token
          }
        }
      }),
      { numRuns: 150 },
    )
  })
})
