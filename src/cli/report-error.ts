/**
 * Errors on stderr, as the Python client shows them: `<Title> (HTTP nnn)[ (Request-ID: x)]` and the
 * description on the next line (exit 1); usage errors with the usage line (exit 2). A description
 * the server did not send is left out rather than printed as `None`.
 */
import { STATUS_CODES } from 'node:http'
import { MonascaError } from '../errors.js'
import { CommandError, UsageError } from './errors.js'
import { explain, plainReason } from './explain.js'
import type { GlobalOptions } from './globals.js'

export interface ErrorReport {
  text: string
  exitCode: number
}

function innermostMessage(error: Error): string {
  let current: unknown = error
  let message = error.message
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.message) message = current.message
    current = current.cause
  }
  return message
}

/**
 * The Python client's lines first (scripts that read them keep working), then the CLI's own
 * explanation (explain.ts), then with --debug the stack trace.
 */
export function describeError(error: unknown, prog: string, usage?: string, debug = false, globals: GlobalOptions = {}): ErrorReport {
  const report = pythonReport(error, prog, usage)
  const extra = report.exitCode === 1 ? explain(error, globals) : []
  const trace = debug && error instanceof Error && error.stack ? [stackOf(error)] : []
  return { text: [report.text, ...extra, ...trace].join('\n'), exitCode: report.exitCode }
}

/** The stack, then each cause's (source-mapped under --debug: see the bin). */
function stackOf(error: Error): string {
  const parts = [error.stack ?? String(error)]
  for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
    parts.push(`Caused by: ${cause.stack ?? String(cause)}`)
  }
  return parts.join('\n')
}

function pythonReport(error: unknown, prog: string, usage?: string): ErrorReport {
  if (error instanceof UsageError) {
    return { text: `${usage && error.showUsage ? usage + '\n' : ''}${prog}: error: ${error.message}`, exitCode: 2 }
  }
  if (error instanceof CommandError) return { text: error.message, exitCode: 1 }
  if (MonascaError.is(error)) {
    // Input the SDK refused before sending (a MonascaValidationError, e.g. an invalid alarm expression).
    if (error.status === undefined && 'field' in error) {
      // An alarm expression: the server's words, a plain sentence, the expression and a caret under the column.
      const explain = (error as { explain?: () => string[] }).explain
      const explained = typeof explain === 'function' ? explain.call(error) : undefined
      if (explained && explained.length > 1) {
        return { text: [`${prog}: error: ${explained[0]}`, ...explained.slice(1).map((line) => `  ${line}`)].join('\n'), exitCode: 2 }
      }
      return { text: `${prog}: error: ${error.message}`, exitCode: 2 }
    }
    // A 2xx whose body is not what the API promises: the SDK's sentence says what was wrong.
    if (error.code === 'invalid_response') return { text: error.message, exitCode: 1 }
    if (typeof error.status === 'number') {
      // As keystoneauth does: the body's title only when a description comes with it (Monasca's
      // {"title","description"}); otherwise the HTTP reason (a bare falcon 404 says "404 Not Found").
      const title = (error.description ? error.title : undefined) || STATUS_CODES[error.status] || error.title || 'HTTP error'
      const head = `${title} (HTTP ${error.status})${error.requestId ? ` (Request-ID: ${error.requestId})` : ''}`
      const description = error.description && error.description !== error.title ? `\n${error.description}` : ''
      return { text: head + description, exitCode: 1 }
    }
    if (error.code === 'connection_error' && error.url) {
      // The Python client's wording, with the innermost reason (e.g. connect ECONNREFUSED 127.0.0.1:1).
      return { text: `Unable to establish connection to ${error.url}: ${plainReason(innermostMessage(error), error.url)}`, exitCode: 1 }
    }
    return { text: error.message, exitCode: 1 }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { text: message, exitCode: 1 }
}
