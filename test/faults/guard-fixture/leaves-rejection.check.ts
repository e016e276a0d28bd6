// Run only by test/faults/guard.test.ts (its own vitest config): one test leaves a rejection behind.
import { it } from 'vitest'

it('leaves a rejection behind', async () => {
  void Promise.reject(new Error('left behind on purpose'))
})

it('a clean test after it', () => {})
