/** Errors the CLI raises itself. Usage errors exit 2 (as argparse does), command errors exit 1. */

/** Bad command line or input refused before any request: printed with the usage line, exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2
  /** True for a malformed command line (argparse prints the usage line then); false for a refused value. */
  readonly showUsage: boolean
  constructor(message: string, showUsage = false) {
    super(message)
    this.showUsage = showUsage
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
