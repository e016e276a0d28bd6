/**
 * Attributes (of a data point or of the resource) as Monasca dimensions: an allow-list picks the
 * keys, renames give them Monasca's usual names, then the naming rules make keys and values valid.
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api'
import * as names from './names.js'

/** Which attributes become dimensions, and under what key. */
export interface AttributeRule {
  /** Keys to keep (the original OpenTelemetry keys), or a test. Default: see the option it is in. */
  allow?: readonly string[] | ((key: string) => boolean)
  /** New keys for some attributes, e.g. `{ 'host.name': 'hostname' }`. Applied after `allow`. */
  rename?: Readonly<Record<string, string>>
}

/** A compiled rule: `pick(key)` is the dimension key, or undefined when the attribute is left out. */
export interface AttributePicker {
  pick(key: string): string | undefined
}

export function attributePicker(rule: AttributeRule, defaults: AttributeRule = {}): AttributePicker {
  const allow = rule.allow ?? defaults.allow
  const rename = rule.rename ?? defaults.rename ?? {}
  const allowed = allow === undefined ? () => true : typeof allow === 'function' ? allow : ((set) => (key: string) => set.has(key))(new Set(allow))
  const cache = new Map<string, string | undefined>()
  return {
    pick(key) {
      if (cache.has(key)) return cache.get(key)
      const picked = allowed(key) ? names.dimensionKey(Object.hasOwn(rename, key) ? rename[key]! : key) || undefined : undefined
      if (cache.size < 10_000) cache.set(key, picked)
      return picked
    },
  }
}

/** An attribute value as text: arrays are joined with `/`, null members are empty. */
function attributeText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) return value.map((v) => (v === null || v === undefined ? '' : String(v))).join('/')
  return String(value)
}

/**
 * Adds the picked attributes to `into` (a later call wins on the same key, so data point attributes
 * override resource attributes). Empty values become `emptyValue`, or are left out when it is null.
 */
export function addDimensions(into: Record<string, string>, attributes: Attributes, picker: AttributePicker, emptyValue: string | null): Record<string, string> {
  for (const key of Object.keys(attributes)) {
    const dimension = picker.pick(key)
    if (dimension === undefined) continue
    const text = attributeText(attributes[key])
    if (text === undefined) continue
    const value = names.dimensionValue(text) || emptyValue
    if (value === null) continue
    // defineProperty: a key such as `__proto__` must be a dimension, not the object's prototype
    Object.defineProperty(into, dimension, { value, enumerable: true, writable: true, configurable: true })
  }
  return into
}
