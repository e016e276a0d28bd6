/** Endpoint lookup in a Keystone v3 service catalog, with keystoneauth's rules (K8). */
import { EndpointNotFoundError } from '../errors.js'
import type { CatalogService } from './access.js'
import type { EndpointFilter } from './types.js'

/** v2-style names (`publicURL`) mean the same as the v3 ones. */
const normaliseInterface = (name: string) => name.replace(/URL$/, '')

/**
 * The URL of the first interface in the preference list that has an endpoint of the service type
 * (in the region, when one is given). Trailing slashes are dropped; the path (…/v2.0) is kept.
 */
export function findEndpoint(catalog: CatalogService[], filter: EndpointFilter): string {
  const interfaces = (Array.isArray(filter.interface) ? filter.interface : [filter.interface]).map(normaliseInterface)
  const services = catalog.filter((service) => service.type === filter.serviceType)
  const candidates = services.flatMap((service) =>
    service.endpoints.filter(
      (endpoint) =>
        endpoint.url !== '' &&
        (filter.regionName === undefined ||
          endpoint.region_id === filter.regionName ||
          endpoint.region === filter.regionName),
    ),
  )
  for (const wanted of interfaces) {
    const match = candidates.find((endpoint) => normaliseInterface(endpoint.interface) === wanted)
    if (match) return match.url.replace(/\/+$/, '')
  }
  throw new EndpointNotFoundError(notFoundMessage(catalog, filter, interfaces))
}

function notFoundMessage(catalog: CatalogService[], filter: EndpointFilter, interfaces: string[]): string {
  const wanted =
    `no ${interfaces.join(' or ')} endpoint of service type "${filter.serviceType}"` +
    (filter.regionName === undefined ? '' : ` in region "${filter.regionName}"`)
  if (catalog.length === 0) {
    return `${wanted}: the token has no service catalog (an unscoped token has none: scope it to a project)`
  }
  const offers = catalog.flatMap((service) =>
    service.endpoints.map(
      (e) => `${service.type} ${normaliseInterface(e.interface)} ${e.region_id ?? e.region ?? '(no region)'} ${e.url}`,
    ),
  )
  return `${wanted} in the catalog; it offers: ${offers.length ? offers.join('; ') : 'no endpoints'}`
}
