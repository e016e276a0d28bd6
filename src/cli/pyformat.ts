/**
 * Values written the way the Python client writes them: `str()` of JSON values (True, None,
 * {'a': 1}), `'{:12.3f}'` numbers, and `json.dumps(indent=2)` with or without `ensure_ascii`.
 */

/** Python's repr of a float (shortest round-trip digits; exponent below 1e-4 and from 1e16). */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  // JSON integers stay Python ints: all digits.
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n)
  const [mantissa, expText] = n.toExponential().split('e') as [string, string]
  const exp = Number(expText)
  if (exp >= -4 && exp < 16) return String(n)
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
}

/** Python's repr of a string: single quotes unless the text has ' and no ". */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of s) {
    const code = ch.codePointAt(0)!
    if (ch === '\\') out += '\\\\'
    else if (ch === quote) out += '\\' + quote
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += '\\x' + code.toString(16).padStart(2, '0')
    else out += ch
  }
  return out + quote
}

/** Python's repr() of a JSON value. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return pyStrRepr(value)
  if (Array.isArray(value)) return '[' + value.map(pyRepr).join(', ') + ']'
  if (value !== null && typeof value === 'object') {
    return '{' + Object.entries(value).map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(', ') + '}'
  }
  return pyStr(value)
}

/** Python's str() of a JSON value, as prettytable shows a cell. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return pyFloat(value)
  return pyRepr(value)
}

/** `'{:12.3f}'.format(n)`: three decimals, right-aligned in 12 columns. */
export function fixed3(value: unknown): string {
  if (typeof value !== 'number') return pyStr(value).padStart(12)
  if (!Number.isFinite(value)) return pyFloat(value).padStart(12)
  const text = Object.is(value, -0) ? '-0.000' : pyFixed(value, 3)
  return text.padStart(12)
}

/**
 * Python's `'{:.Nf}'`: correctly rounded, exact ties to even. JS's toFixed rounds an exact tie away
 * from zero (43.0625 → 43.063, Python 43.062). A tie is only possible for a double whose exact decimal
 * ends right after digit N+1 with a 5, which toFixed(20) shows exactly.
 */
export function pyFixed(value: number, digits: number): string {
  const magnitude = Math.abs(value)
  if (!(magnitude < 1e21)) return value.toFixed(digits) // toFixed's exponent form; not a value a metric holds
  const exact = magnitude.toFixed(20)
  const dot = exact.indexOf('.')
  let text = magnitude.toFixed(digits)
  if (exact.slice(dot + 1 + digits) === '5'.padEnd(20 - digits, '0')) {
    const down = exact.slice(0, dot + (digits > 0 ? 1 + digits : 0))
    if (Number(down[down.length - 1]) % 2 === 0) text = down
  }
  return value < 0 ? `-${text}` : text // Python keeps the sign of a negative that rounds to zero (-0.000)
}

/**
 * `json.dumps(value, indent=2)`: JSON.stringify's layout with Python's float spelling (`1e-05`).
 * With `ensureAscii` every non-ASCII character becomes `\uXXXX`.
 */
export function pyJson(value: unknown, ensureAscii = false): string {
  const text = dumps(value, '')
  return ensureAscii ? escapeNonAscii(text) : text
}

function dumps(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') return Number.isFinite(value) ? pyFloat(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  const inner = indent + '  '
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return '[\n' + value.map((v) => inner + dumps(v, inner)).join(',\n') + '\n' + indent + ']'
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined)
  if (entries.length === 0) return '{}'
  return '{\n' + entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${dumps(v, inner)}`).join(',\n') + '\n' + indent + '}'
}

export function escapeNonAscii(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'))
}

/** `k: v` lines of a dict (the Python client's `format_dict`). */
export function formatDict(dict: unknown): string {
  if (dict === null || typeof dict !== 'object') return ''
  return Object.entries(dict).map(([k, v]) => `${k}: ${pyStr(v)}`).join('\n')
}

/** `k:v,k2:v2` per dict (sorted keys), one dict per line (the Python client's `format_dictlist`). */
export function formatDictList(list: unknown): string {
  if (!Array.isArray(list)) return pyStr(list)
  return list
    .map((d) =>
      d !== null && typeof d === 'object'
        ? Object.keys(d).sort().map((k) => `${k}:${pyStr((d as Record<string, unknown>)[k])}`).join(',')
        : pyStr(d),
    )
    .join('\n')
}

/** An alarm definition's `expression_data` as `k: v` lines with `dimensions: {…}` spelled out. */
export function formatExpressionData(data: unknown): string {
  if (data === null || typeof data !== 'object') return pyStr(data)
  return Object.entries(data)
    .map(([k, v]) => (k === 'dimensions' ? 'dimensions: {\n' + formatDict(v) + '\n}' : `${k}: ${pyStr(v)}`))
    .join('\n')
}
