/**
 * What the page says about a failure: the server's title, description and request id when there
 * is one; what kind of failure it is, so the shell can send an ended session to the login page and
 * show a lost connection as a banner with a retry.
 */
import { isMonascaError } from 'monasca-client'

export type FailureKind = 'session' | 'connection' | 'validation' | 'server' | 'aborted' | 'other'

export interface Failure {
  kind: FailureKind
  /** One line a person understands. */
  title: string
  /** The server's description, or the SDK's message. */
  description: string
  status?: number
  requestId?: string
  /** For validation errors: the parameter at fault. */
  field?: string
}

export function describeFailure(error: unknown): Failure {
  if (!isMonascaError(error)) {
    const message = error instanceof Error ? error.message : String(error)
    return { kind: 'other', title: 'Something went wrong in the page', description: message }
  }
  const base: Failure = { kind: 'other', title: error.title ?? 'Request failed', description: error.description ?? error.message }
  if (error.status !== undefined) base.status = error.status
  if (error.requestId !== undefined) base.requestId = error.requestId
  switch (error.code) {
    case 'aborted':
      return { ...base, kind: 'aborted', title: 'Cancelled' }
    case 'timeout':
      return { ...base, kind: 'connection', title: 'The server took too long to answer' }
    case 'connection_error':
      return { ...base, kind: 'connection', title: 'Cannot reach the server', description: `${error.message}. Check your connection, then retry.` }
    case 'session_expired':
      return { ...base, kind: 'session', title: 'Your session has expired', description: 'The token has reached its end. Log in again to continue.' }
    case 'keystone_auth':
    case 'unauthorized':
      if ((error as { isForbidden?: boolean }).isForbidden) return { ...base, kind: 'server', title: error.title ?? 'Not allowed' }
      return {
        ...base,
        kind: 'session',
        title: 'Your session has ended',
        description: `The token was revoked or has expired (${error.description ?? error.message}). Log in again to continue.`,
      }
    case 'validation':
    case 'invalid_expression': {
      const field = (error as { field?: string }).field
      return { ...base, kind: 'validation', title: 'Check the form', ...(field === undefined ? {} : { field }) }
    }
    default:
      return { ...base, kind: error.status !== undefined && error.status >= 500 ? 'server' : base.kind }
  }
}

/**
 * The server's 4xx names the field in words ("A notification method with the name ops already
 * exists", "Invalid alarm expression"): which form field it means, first of `fields` whose name
 * appears as a word.
 */
export function fieldOfServerError(description: string, fields: string[]): string | undefined {
  return fields.find((field) => new RegExp(`\\b${field}\\b`, 'i').test(description))
}
