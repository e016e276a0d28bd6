import { describe, it } from 'vitest'

/** Under CI=true every system part (Chromium, Keystone, Deno, Bun, the Python client) must be there. */
export const isCI = process.env.CI === 'true' || process.env.CI === '1'

/**
 * A describe block that needs a real system part. When the part is there the block runs; under CI a
 * missing part is a failing test; on a developer machine without it the block is reported as skipped,
 * with the reason in its title.
 */
export function describeWithSystemPart(part: string, available: boolean, body: () => void): void {
  if (available) {
    describe(part, body)
  } else if (isCI) {
    describe(part, () => {
      it(`${part} is installed and running`, () => {
        throw new Error(`${part} is missing: .ci/run must install and start it`)
      })
    })
  } else {
    // Skipped on purpose: the part is not on this machine; `bash .ci/run` installs it and CI fails without it.
    describe.skip(`${part} (not available here: run bash .ci/run to install it)`, body)
  }
}
