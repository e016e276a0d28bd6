import { describe, expect, it } from 'vitest'
import { Session, findEndpoint, identity } from '../../src/auth/index.js'
import type { CatalogService } from '../../src/auth/index.js'
import { EndpointNotFoundError } from '../../src/errors.js'
import { fakeKeystone, monitoringCatalog } from './fake-keystone.js'

const catalog = monitoringCatalog as CatalogService[]

describe('findEndpoint', () => {
  it('takes the public endpoint by default and drops the trailing slash, keeping /v2.0', () => {
    expect(findEndpoint(catalog, { serviceType: 'monitoring', interface: 'public' })).toBe('http://monasca-public.test/v2.0')
  })

  it('takes the first interface of a preference list that has a match', () => {
    expect(findEndpoint(catalog, { serviceType: 'monitoring', interface: ['admin', 'internal', 'public'] })).toBe(
      'http://monasca-internal.test/v2.0',
    )
  })

  it('filters by region', () => {
    expect(findEndpoint(catalog, { serviceType: 'monitoring', interface: 'public', regionName: 'RegionTwo' })).toBe('http://monasca-two.test/v2.0')
    expect(() => findEndpoint(catalog, { serviceType: 'monitoring', interface: 'internal', regionName: 'RegionTwo' })).toThrow(EndpointNotFoundError)
  })

  it('accepts v2 interface names such as publicURL', () => {
    expect(findEndpoint(catalog, { serviceType: 'monitoring', interface: 'internalURL' })).toBe('http://monasca-internal.test/v2.0')
  })

  it('lists what the catalog offers when nothing matches', () => {
    const error = (() => {
      try {
        findEndpoint(catalog, { serviceType: 'monitoring', interface: 'admin', regionName: 'RegionOne' })
      } catch (e) {
        return e as EndpointNotFoundError
      }
    })()
    expect(error).toBeInstanceOf(EndpointNotFoundError)
    expect(error!.message).toContain('no admin endpoint of service type "monitoring" in region "RegionOne"')
    expect(error!.message).toContain('monitoring internal RegionOne http://monasca-internal.test/v2.0')
    expect(error!.message).toContain('identity public RegionOne http://keystone.test/v3/')
  })

  it('says an unscoped token has no catalog', () => {
    expect(() => findEndpoint([], { serviceType: 'monitoring', interface: 'public' })).toThrow(/unscoped/)
  })
})

describe('Session.getEndpoint', () => {
  it('uses the session defaults unless the filter overrides them', async () => {
    const keystone = fakeKeystone()
    const auth = new identity.Password({ authUrl: 'http://keystone.test', userId: 'u1', password: 'correct-horse', projectId: 'p1' })
    const session = new Session({ auth, fetch: keystone.fetch, regionName: 'RegionTwo' })
    expect(await session.getEndpoint()).toBe('http://monasca-two.test/v2.0')
    expect(await session.getEndpoint({ regionName: 'RegionOne', interface: ['internal'] })).toBe('http://monasca-internal.test/v2.0')
    expect(keystone.requests).toHaveLength(1)
  })
})
