/**
 * The naming rules: how an OpenTelemetry name, attribute key or attribute value becomes one that
 * Monasca accepts (monasca-common's limits, the same `LIMITS` the SDK validates with).
 *
 * - Every character the server forbids becomes `_`; so do control characters (valid on the wire,
 *   but unreadable in a table and in an alarm expression) and lone surrogates (not text at all).
 *   Metric names also lose whitespace and `()`.
 * - Dimension keys may not start with `_` (internal tags): leading underscores are removed.
 * - Dimension values also lose `|`: the query grammar reads it as "or", so no query could select
 *   a value that holds one.
 * - Anything longer than 255 characters keeps its first characters and ends with `~` and eight hex
 *   digits of a hash of the whole original, so two long values that differ only at the end stay
 *   two series. A metric name is shortened before its suffix (`.bucket` stays `.bucket`).
 */
import { LIMITS } from '../validate.js'

const METRIC_NAME_REPLACED = /[<>={},"\\;&()\s\p{Cc}\p{Cs}]/gu
const DIMENSION_KEY_REPLACED = /[<>={},"\\;&\p{Cc}\p{Cs}]/gu
const DIMENSION_VALUE_REPLACED = /[<>={},"\\;&|\p{Cc}\p{Cs}]/gu

/** The characters each rule replaces with `_` (for the README and error messages). */
export const REPLACED_CHARACTERS = {
  metricName: '< > = { } ( ) , " \\ ; & whitespace, control characters, lone surrogates',
  dimensionKey: '< > = { } , " \\ ; & control characters, lone surrogates (and leading _ removed)',
  dimensionValue: '< > = { } , " \\ ; & | control characters, lone surrogates',
} as const

/** A metric name valid for Monasca (`suffix`, such as `.bucket`, is kept whole). Empty stays empty. */
export function metricName(name: string, suffix = ''): string {
  const base = name.replace(METRIC_NAME_REPLACED, '_')
  return shorten(base, LIMITS.metricName - suffix.length, name) + suffix
}

/** A dimension key valid for Monasca, or '' when nothing is left of it. */
export function dimensionKey(key: string): string {
  const clean = key.replace(DIMENSION_KEY_REPLACED, '_').replace(/^_+/, '')
  return shorten(clean, LIMITS.dimensionKey, key)
}

/** A dimension value valid for Monasca, or '' (the caller decides what an empty value becomes). */
export function dimensionValue(value: string): string {
  return shorten(value.replace(DIMENSION_VALUE_REPLACED, '_'), LIMITS.dimensionValue, value)
}

const HASH_SUFFIX_LENGTH = 9 // '~' + 8 hex digits

/** `text` if it fits in `max`; else its start, `~` and a hash of `original` (never splits a surrogate pair). */
function shorten(text: string, max: number, original = text): string {
  if (text.length <= max) return text
  let end = max - HASH_SUFFIX_LENGTH
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end-- // a high surrogate whose pair would be cut off
  return `${text.slice(0, end)}~${fnv1a(original)}`
}

/** 32-bit FNV-1a over UTF-16 code units, as eight hex digits: short, stable, no crypto needed. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}
