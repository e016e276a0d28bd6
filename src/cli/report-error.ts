/**
 * Errors on stderr, as the Python client shows them: `<Title> (HTTP nnn)[ (Request-ID: x)]` and the
 * description on the next line (exit 1); usage errors with the usage line (exit 2). A description
 * the server did not send is left out rather than printed as `None`.
 */
import { STATUS_CODES } from 'node:http'
import { MonascaError } from '../errors.js'
import { CommandError, UsageError } from './errors.js'

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

export function describeError(error: unknown, prog: string, usage?: string, debug = false): ErrorReport {
  const trace = debug && error instanceof Error && error.stack ? `\n${error.stack}` : ''
  if (error instanceof UsageError) {
    return { text: `${usage && error.showUsage ? usage + '\n' : ''}${prog}: error: ${error.message}${trace}`, exitCode: 2 }
  }
  if (error instanceof CommandError) return { text: error.message + trace, exitCode: 1 }
  if (MonascaError.is(error)) {
    // Input the SDK refused before sending (a MonascaValidationError, e.g. an invalid alarm expression).
    if (error.status === undefined && 'field' in error) return { text: `${prog}: error: ${error.message}${trace}`, exitCode: 2 }
    if (typeof error.status === 'number') {
      // As keystoneauth does: the body's title only when a description comes with it (Monasca's
      // {"title","description"}); otherwise the HTTP reason (a bare falcon 404 says "404 Not Found").
      const title = (error.description ? error.title : undefined) || STATUS_CODES[error.status] || error.title || 'HTTP error'
      const head = `${title} (HTTP ${error.status})${error.requestId ? ` (Request-ID: ${error.requestId})` : ''}`
      const description = error.description && error.description !== error.title ? `\n${error.description}` : ''
      return { text: head + description + trace, exitCode: 1 }
    }
    if (error.code === 'connection_error' && error.url) {
      // The Python client's wording, with the innermost reason (e.g. connect ECONNREFUSED 127.0.0.1:1).
      return { text: `Unable to establish connection to ${error.url}: ${innermostMessage(error)}${trace}`, exitCode: 1 }
    }
    return { text: error.message + trace, exitCode: 1 }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { text: message + trace, exitCode: 1 }
}
