/** Checks of a notification method before it is sent: the address for its type, the period choices. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Types whose address is a URL the notification engine calls. */
export const URL_TYPES = ['WEBHOOK', 'SLACK', 'HIPCHAT', 'JIRA']

/** A message when the address does not suit the type, else undefined. */
export function checkAddress(type: string, address: string): string | undefined {
  const value = address.trim()
  if (value === '') return 'Give an address'
  if (value.length > 512) return 'The address is longer than 512 characters'
  const kind = type.toUpperCase()
  if (kind === 'EMAIL' && !EMAIL.test(value)) return `"${value}" is not an email address (name@example.com)`
  if (URL_TYPES.includes(kind)) {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      return `"${value}" is not a URL: write it in full, e.g. https://hooks.example/ops`
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'A webhook address must start with http:// or https://'
  }
  return undefined
}

/** The server accepts 0 (notify once) for every type and 60 (repeat every minute) for webhooks only. */
export function periodChoices(type: string): number[] {
  return type.toUpperCase() === 'WEBHOOK' ? [0, 60] : [0]
}
