/**
 * What the CLI adds under an error so the user need not guess: the request that failed, who asked
 * Keystone for what, and which flag or variable to look at. Only the CLI knows the flags; the SDK's
 * errors carry the facts (status, title, description, request id, method, URL). Each line is
 * indented by two spaces, under the Python client's own error lines, which stay first and unchanged.
 * Never a password, secret or token: only names, ids and URLs.
 */
import { MonascaError } from '../errors.js'
import { flagAndVariable } from './globals.js'
import type { GlobalOptions } from './globals.js'

const given = (v: string | undefined): v is string => v !== undefined && v !== ''

const quoted = (v: string) => `'${v}'`

/** user 'demo' (domain default) / user id 123 / application credential 'x' / the token of --os-token. */
function who(g: GlobalOptions): string {
  if (given(g.applicationCredentialId)) return `application credential ${g.applicationCredentialId}`
  if (given(g.applicationCredentialName)) return `application credential ${quoted(g.applicationCredentialName)} of user ${quoted(g.username ?? g.userId ?? '?')}`
  if (given(g.token) && !given(g.password)) return 'the token given (--os-token / OS_TOKEN)'
  if (given(g.userId)) return `user id ${g.userId}`
  const domain = g.userDomainName ? `domain name ${g.userDomainName}` : `domain ${g.userDomainId || g.defaultDomain || 'default'}`
  return `user ${quoted(g.username ?? '?')} (${domain})`
}

function scope(g: GlobalOptions): string {
  if (given(g.projectId)) return ` for project id ${g.projectId}`
  if (given(g.projectName)) {
    const domain = g.projectDomainName ? `domain name ${g.projectDomainName}` : `domain ${g.projectDomainId || g.defaultDomain || 'default'}`
    return ` for project ${quoted(g.projectName)} (${domain})`
  }
  return ''
}

function keystoneFlags(g: GlobalOptions): string {
  const keys: Array<keyof GlobalOptions> = given(g.applicationCredentialId) || given(g.applicationCredentialName)
    ? ['applicationCredentialId', 'applicationCredentialSecret']
    : given(g.token) && !given(g.password)
      ? ['token', 'projectName']
      : [given(g.userId) ? 'userId' : 'username', 'password', given(g.projectId) ? 'projectId' : 'projectName', 'userDomainId', 'projectDomainId']
  const inCloud = g.cloudFile ? ` (or the auth: section of cloud '${g.cloud}' in ${g.cloudFile})` : ''
  return keys.map(flagAndVariable).join(', ') + inCloud
}

/** The Keystone v3 root of a token URL (…/v3/auth/tokens → …/v3). */
const keystoneRoot = (url: string | undefined, g: GlobalOptions) => (url && url.includes('/auth/tokens') ? url.slice(0, url.indexOf('/auth/tokens')) : g.authUrl ?? url ?? '?')

/** Which flags set the URL that failed: Keystone's, or Monasca's. */
function urlFlags(url: string | undefined, g: GlobalOptions): string {
  const origin = (u: string | undefined) => {
    try {
      return u ? new URL(u).origin : undefined
    } catch {
      return undefined
    }
  }
  if (url && origin(url) === origin(g.authUrl) && url.includes('/v3')) return flagAndVariable('authUrl')
  if (given(g.monascaApiUrl)) return flagAndVariable('monascaApiUrl')
  if (given(g.monitoringEndpointOverride)) {
    return g.cloudFile ? `OS_MONITORING_ENDPOINT_OVERRIDE or monitoring_endpoint_override of cloud '${g.cloud}' in ${g.cloudFile}` : 'OS_MONITORING_ENDPOINT_OVERRIDE'
  }
  // --os-endpoint counts only without Keystone (admin_token, none), as in osc-lib.
  if (given(g.endpoint) && !given(g.authUrl)) return flagAndVariable('endpoint')
  return `the catalog's monitoring endpoint (override it with ${flagAndVariable('monascaApiUrl')})`
}

/** Every message of the cause chain, outermost first. */
function messages(error: unknown): string {
  const parts: string[] = []
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    parts.push(e.message, String((e as NodeJS.ErrnoException).code ?? ''))
  }
  return parts.join(' ')
}

const hostPort = (url: string | undefined) => {
  try {
    const u = new URL(url ?? '')
    return u.port ? `${u.hostname}:${u.port}` : u.host
  } catch {
    return url ?? '?'
  }
}

export function explain(error: unknown, g: GlobalOptions): string[] {
  if (!MonascaError.is(error)) return []
  const lines: string[] = []
  const request = error.method && error.url ? `${error.method} ${error.url}` : error.url
  const keystone = error.code === 'keystone_auth' || (error.url?.includes('/auth/tokens') ?? false)

  if (typeof error.status === 'number') {
    const tokenFlow = given(g.token) && !given(g.password) && !given(g.applicationCredentialSecret)
    if (keystone && (error.status === 401 || error.status === 404) && tokenFlow && (error.status === 401 || /token/i.test(error.description ?? ''))) {
      // Keystone answers 404 "Could not recognize Fernet token" / "Could not find token" for a token it does not know.
      lines.push(`Keystone at ${keystoneRoot(error.url, g)} does not accept the token given (${flagAndVariable('token')})${scope(g)}: it is expired, revoked or from another Keystone.`)
      lines.push(`Get a new one (openstack token issue), or authenticate with a password (${flagAndVariable('password')}) or an application credential.`)
    } else if (keystone && error.status === 401) {
      lines.push(`Keystone at ${keystoneRoot(error.url, g)} refused the credentials of ${who(g)}${scope(g)}.`)
      lines.push(`Check ${keystoneFlags(g)}: Keystone gives the same answer for a wrong password, an unknown user and a project the user has no role in.`)
    } else if (keystone && error.status === 404) {
      lines.push(`There is no Keystone v3 at ${keystoneRoot(error.url, g)}: ${flagAndVariable('authUrl')} should be Keystone's v3 URL, e.g. http://keystone:5000/v3.`)
    } else if ((error.status === 404 || (error.status === 422 && error.title === 'Invalid version')) && looksLikeWrongPath(error)) {
      lines.push(`No Monasca API at that URL: the Monasca URL must end in /v2.0 (e.g. http://monasca:8070/v2.0); it came from ${urlFlags(error.url, g)}.`)
    } else if (error.status === 401 && /^(none|noauth)$/i.test(g.authType ?? '')) {
      lines.push(`Monasca wants a token, and --os-auth-type none sends none: use admin_token with ${flagAndVariable('token')}, or a Keystone auth type.`)
    } else if (error.status === 401) {
      lines.push('Monasca refused the token (expired, revoked, or issued for another project or without a Monasca role).')
    }
    if (request) lines.push(`Request: ${request}${error.requestId ? ` (request id ${error.requestId})` : ''}`)
    return lines.map((l) => `  ${l}`)
  }

  const text = messages(error)
  const at = hostPort(error.url)
  if (/wrong version number|WRONG_VERSION_NUMBER|packet length too long|unknown protocol|http request/i.test(text)) {
    lines.push(`Use http:// in ${urlFlags(error.url, g)}, or the port where ${at.split(':')[0]} serves https.`)
  } else if (/ETLSHANDSHAKE|before secure TLS connection was established/i.test(text)) {
    lines.push(`No TLS handshake with ${at}: the server may not speak TLS there; use http:// in ${urlFlags(error.url, g)}, or its https port.`)
  } else if (/ECONNREFUSED/.test(text)) {
    lines.push(`Nothing is listening at ${at}: check ${urlFlags(error.url, g)}, and that the server is running.`)
  } else if (/ENOTFOUND|EAI_AGAIN/.test(text)) {
    lines.push(`The host name in ${urlFlags(error.url, g)} does not resolve.`)
  } else if (/certificate|CERT_|self[- ]signed/i.test(text)) {
    lines.push(`The certificate of ${at} is not trusted: give its CA with ${flagAndVariable('cacert')}, or skip the check with --insecure.`)
  } else if (error.code === 'timeout') {
    lines.push(`No answer from ${at}${given(g.timeout) ? ` within --timeout ${g.timeout} s` : ''}.`)
  } else if (error.code === 'endpoint_not_found') {
    lines.push(`Give the Monasca URL with ${flagAndVariable('monascaApiUrl')} (or OS_MONITORING_ENDPOINT_OVERRIDE), or pick another ${flagAndVariable('regionName')} / ${flagAndVariable('interface')}.`)
  }
  if (request && lines.length > 0 && !text.includes(error.url ?? '\0')) lines.push(`Request: ${request}`)
  return lines.map((l) => `  ${l}`)
}

/**
 * A 404 (or Monasca's 422 "Invalid version" for a path at its root) that is not "no such alarm": a
 * path without /v2.0, or an HTML page (not Monasca's JSON).
 */
function looksLikeWrongPath(error: MonascaError): boolean {
  const path = (() => {
    try {
      return new URL(error.url ?? '').pathname
    } catch {
      return ''
    }
  })()
  return !/\/v2\.0(\/|$)/.test(path) || /^\s*</.test(error.description ?? '')
}

/**
 * A network reason in plain words where Node gives OpenSSL's (`write EPROTO 80DC…:error:0A00010B:SSL
 * routines:ssl3_get_record:wrong version number:…`); other reasons (ECONNREFUSED …) are kept.
 */
export function plainReason(reason: string, url: string | undefined): string {
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(reason)?.[1]
  if (/wrong version number|packet length too long|http request/i.test(reason)) {
    return `the server at ${hostPort(url)} does not speak TLS${openssl ? ` (OpenSSL: ${openssl})` : ''}`
  }
  return openssl ? `TLS failed (OpenSSL: ${openssl})` : reason.trim()
}
