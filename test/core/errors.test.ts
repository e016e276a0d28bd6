import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  createClient,
  InternalServerError,
  isMonascaError,
  MonascaAPIError,
  MonascaError,
  MonascaValidationError,
  NotFoundError,
  parseErrorBody,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../../src/index.js'
import { captureFetch, json } from '../helpers/capture.js'

const SECRET_TOKEN = 'gAAAAABsecret-token-value-1234567890'

function failingClient(status: number, body: unknown, headers: Record<string, string> = {}) {
  const { fetch } = captureFetch(() =>
    typeof body === 'string'
      ? new Response(body, { status, headers: { 'content-type': 'text/plain', ...headers } })
      : json(body, status, headers),
  )
  return createClient({ endpoint: 'http://monasca.test/v2.0', token: SECRET_TOKEN, fetch, retries: 0 })
}

describe('server errors become typed errors', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, MonascaAPIError],
  ] as const)('status %i → %s', async (status, ErrorClass) => {
    const error = await failingClient(status, { title: 'T', description: 'D' }).alarms.get('a1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ErrorClass)
    expect(error).toBeInstanceOf(MonascaError)
    expect(error).toMatchObject({ status, title: 'T', description: 'D', method: 'GET' })
  })

  it('carries the request id, method and a URL without credentials', async () => {
    const error = (await failingClient(409, { title: 'MultipleMetrics', description: 'Found multiple metrics matching' }, { 'x-openstack-request-id': 'req-42' })
      .metrics.listMeasurements({ name: 'cpu', start_time: '2024-01-01T00:00:00Z' })
      .catch((e: unknown) => e)) as ConflictError
    expect(error.requestId).toBe('req-42')
    expect(error.title).toBe('MultipleMetrics')
    expect(error.message).toBe('MultipleMetrics (HTTP 409): Found multiple metrics matching')
    expect(error.url).toMatch(/^http:\/\/monasca\.test\/v2\.0\/metrics\/measurements\?/)
  })

  it('refuses an endpoint with credentials in it, without echoing them', () => {
    let error: unknown
    try {
      createClient({ endpoint: 'http://user:pw@monasca.test/v2.0', token: 't' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MonascaValidationError)
    expect(JSON.stringify(error) + String(error)).not.toContain('pw')
  })

  it.each([
    ['Python API', { title: 'Unprocessable Entity', description: "Field 'link' is required" }, 'Unprocessable Entity', "Field 'link' is required"],
    ['Falcon 404', { title: '404 Not Found' }, '404 Not Found', undefined],
    ['Keystone', { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }, 'Unauthorized', 'The request you have made requires authentication.'],
    ['legacy Java', { unprocessable_entity: { code: 422, message: 'Name is required', details: '', internal_code: 'x' } }, 'unprocessable_entity', 'Name is required'],
    ['legacy Java with details', { conflict: { code: 409, message: 'Exists', details: 'name x taken' } }, 'conflict', 'name x taken'],
    ['plain text', 'Internal boom', undefined, 'Internal boom'],
    ['empty', '', undefined, undefined],
    ['array', [1, 2], undefined, undefined],
  ])('parses the %s body form', (_form, body, title, description) => {
    expect(parseErrorBody(body)).toEqual({ ...(title === undefined ? {} : { title }), ...(description === undefined ? {} : { description }) })
  })

  it('uses the HTTP status text when the body says nothing', async () => {
    const error = (await failingClient(500, 'x').alarms.get('a').catch((e: unknown) => e)) as InternalServerError
    expect(error.description).toBe('x')
    expect(error.message).toMatch(/\(HTTP 500\)/)
  })
})

describe('no secret ever leaks from an error', () => {
  it('keeps the token out of the message, stack, JSON and own properties', async () => {
    const error = await failingClient(401, { error: { code: 401, title: 'Unauthorized', message: 'nope' } }).alarms.get('a1').catch((e: unknown) => e)
    const serialised = [String(error), (error as Error).stack, JSON.stringify(error), JSON.stringify(Object.entries(error as object))].join('\n')
    expect(serialised).not.toContain(SECRET_TOKEN)
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'AuthenticationError', code: 'unauthorized', status: 401, title: 'Unauthorized' })
  })

  it('redacts credential-looking query parameters from the URL', () => {
    const error = new MonascaError('x', { url: 'https://h/v2.0/x?token=abc&password=p&name=cpu' })
    expect(error.url).toBe('https://h/v2.0/x?token=REDACTED&password=REDACTED&name=cpu')
  })
})

describe('brand check', () => {
  it('recognises errors across copies of the package, and nothing else', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('monasca-client.error')]: true })
    expect(isMonascaError(new NotFoundError('x', { status: 404 }))).toBe(true)
    expect(MonascaError.is(new MonascaValidationError('name', 'bad'))).toBe(true)
    expect(isMonascaError(foreign)).toBe(true)
    expect(isMonascaError(new Error('x'))).toBe(false)
    expect(isMonascaError(null)).toBe(false)
    expect(isMonascaError({ code: 'not_found' })).toBe(false)
  })

  it('validation errors name the field in message and JSON', () => {
    const error = new MonascaValidationError('dimensions.hostname', 'may not contain "{"')
    expect(error.message).toBe('dimensions.hostname: may not contain "{"')
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'validation', field: 'dimensions.hostname' })
  })
})
