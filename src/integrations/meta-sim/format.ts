/** Wire formatting: Graph numeric strings, Graph-style JSON, paging cursors. */

/** A derived ratio as Graph prints it: at most 6 decimals, trailing zeros dropped (`"0.582676"`, `"9.475"`). */
export function ratioString(value: number): string {
  if (!Number.isFinite(value)) return '0'
  const s = value.toFixed(6)
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s
}

/** Money in MAJOR units from an integer amount of MINOR units: `4137, 100 → "41.37"`, `3790 → "37.9"`, JPY `4137, 1 → "4137"`. */
export function moneyString(minor: number, offset: number): string {
  if (offset === 1) return String(Math.round(minor))
  const digits = Math.round(Math.log10(offset))
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(Math.round(minor))
  const whole = Math.floor(abs / offset)
  const frac = String(abs % offset)
    .padStart(digits, '0')
    .replace(/0+$/, '')
  return frac ? `${sign}${whole}.${frac}` : `${sign}${whole}`
}

/**
 * JSON the way graph.facebook.com writes it: compact, `/` escaped as `\/`, non-ASCII as `\uXXXX`.
 * Both escapes only ever occur inside JSON strings, so a global replace is safe.
 */
export function graphJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Graph's cursor style: base64 with each `=` written as `ZD` (`0 → "MAZDZD"`, `13 → "MTMZD"`). */
export function encodeCursor(value: string | number): string {
  const b64 = Buffer.from(String(value), 'utf8').toString('base64')
  const trimmed = b64.replace(/=+$/, '')
  return trimmed + 'ZD'.repeat(b64.length - trimmed.length)
}

export function decodeCursor(cursor: string): string | undefined {
  let body = cursor
  let pads = 0
  while (body.endsWith('ZD') && pads < 2) {
    body = body.slice(0, -2)
    pads++
  }
  if (!/^[A-Za-z0-9+/_-]*$/.test(body) || body.length === 0) return undefined
  if ((body.length + pads) % 4 !== 0) return undefined
  return Buffer.from(body + '='.repeat(pads), 'base64').toString('utf8')
}

/** Decodes an index cursor; undefined when the cursor is not one of ours. */
export function decodeIndexCursor(cursor: string): number | undefined {
  const raw = decodeCursor(cursor)
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined
  return Number(raw)
}
