/** Errors the CLI raises itself. Usage errors exit 2 (as argparse does), command errors exit 1. */

/** Bad command line or input refused before any request: printed with the usage line, exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A command that could not be carried out (configuration, missing credentials): exit 1. */
export class CommandError extends Error {
  readonly exitCode = 1
  constructor(message: string) {
    super(message)
    this.name = 'CommandError'
  }
}
