/**
 * The digest's 14-day chart as a PNG: spend as bars (left axis, account currency) and results as a line (right
 * axis). Built as SVG here and rasterised by @resvg/resvg-js (Rust resvg through N-API; the prebuilt binary for
 * each platform is an ordinary npm package, nothing is downloaded or compiled at install time).
 *
 * Text does not depend on installed fonts: a slim server image (node:20-bookworm-slim) has none, and resvg would
 * silently drop <text>. Labels are drawn as strokes from the small built-in font below (digits, Latin capitals,
 * common punctuation and currency signs). Only a title with other characters (e.g. a Japanese account name) is
 * set as <text> with the system's fonts, where there are any.
 */
import { Resvg } from '@resvg/resvg-js'
import type { IsoDate } from '../../lib/dates.ts'
import { currencyOffset } from '../../lib/money.ts'

export interface ChartPoint {
  date: IsoDate
  spendMinor: number
  results: number
}

export interface ChartOptions {
  currency: string
  title: string
  /** Label of the line, e.g. "leads" (default "results"); null: spend only, no results line or axis. */
  resultsLabel?: string | null
  width?: number
  height?: number
}

// ---------------------------------------------------------------------------
// A stroke font on a 4 × 6 grid (y down, baseline at 6). Each glyph: polylines "x,y x,y …", optional width.

type Glyph = { w?: number; s: string[] }
const O = '1,0 3,0 4,1 4,5 3,6 1,6 0,5 0,1 1,0'
const S = '4,1 3,0 1,0 0,1 0,2 1,3 3,3 4,4 4,5 3,6 1,6 0,5'
const C = '4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5'
const P = '0,6 0,0 3,0 4,1 4,2 3,3 0,3'
const dot = (x: number, y: number) => `${x - 0.15},${y} ${x + 0.15},${y}`
/** Drawn for a character the font lacks. */
const QUESTION_MARK: Glyph = { s: ['0,1 1,0 3,0 4,1 4,2 2,3.5 2,4.3', dot(2, 6)] }
const GLYPHS: Record<string, Glyph> = {
  '0': { s: [O, '4,1 0,5'] },
  '1': { s: ['1,1 2,0 2,6', '1,6 3,6'] },
  '2': { s: ['0,1 1,0 3,0 4,1 4,2 0,6 4,6'] },
  '3': { s: ['0,1 1,0 3,0 4,1 4,2 3,3 4,4 4,5 3,6 1,6 0,5', '1,3 3,3'] },
  '4': { s: ['3,6 3,0 0,4 4,4'] },
  '5': { s: ['4,0 0,0 0,3 3,3 4,4 4,5 3,6 0,6'] },
  '6': { s: ['3,0 1,0 0,1 0,5 1,6 3,6 4,5 4,4 3,3 0,3'] },
  '7': { s: ['0,0 4,0 1,6'] },
  '8': { s: ['1,0 3,0 4,1 4,2 3,3 1,3 0,2 0,1 1,0', '1,3 3,3 4,4 4,5 3,6 1,6 0,5 0,4 1,3'] },
  '9': { s: ['4,3 1,3 0,2 0,1 1,0 3,0 4,1 4,5 3,6 1,6'] },
  A: { s: ['0,6 0,2 2,0 4,2 4,6', '0,3.5 4,3.5'] },
  B: { s: ['0,0 0,6 3,6 4,5 4,4 3,3 0,3', '0,0 3,0 4,1 4,2 3,3'] },
  C: { s: [C] },
  D: { s: ['0,0 0,6 2,6 4,4 4,2 2,0 0,0'] },
  E: { s: ['4,0 0,0 0,6 4,6', '0,3 3,3'] },
  F: { s: ['4,0 0,0 0,6', '0,3 3,3'] },
  G: { s: ['4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5 4,3 2,3'] },
  H: { s: ['0,0 0,6', '4,0 4,6', '0,3 4,3'] },
  I: { w: 2, s: ['0,0 2,0', '1,0 1,6', '0,6 2,6'] },
  J: { s: ['4,0 4,5 3,6 1,6 0,5'] },
  K: { s: ['0,0 0,6', '4,0 0,4', '1,3 4,6'] },
  L: { s: ['0,0 0,6 4,6'] },
  M: { w: 5, s: ['0,6 0,0 2.5,3.5 5,0 5,6'] },
  N: { s: ['0,6 0,0 4,6 4,0'] },
  O: { s: [O] },
  P: { s: [P] },
  Q: { s: [O, '2.5,4.5 4,6'] },
  R: { s: [P, '2,3 4,6'] },
  S: { s: [S] },
  T: { s: ['0,0 4,0', '2,0 2,6'] },
  U: { s: ['0,0 0,5 1,6 3,6 4,5 4,0'] },
  V: { s: ['0,0 2,6 4,0'] },
  W: { w: 5, s: ['0,0 1.25,6 2.5,2.5 3.75,6 5,0'] },
  X: { s: ['0,0 4,6', '4,0 0,6'] },
  Y: { s: ['0,0 2,3 4,0', '2,3 2,6'] },
  Z: { s: ['0,0 4,0 0,6 4,6'] },
  ' ': { w: 2, s: [] },
  '.': { w: 1, s: [dot(0.5, 6)] },
  ',': { w: 1, s: ['1,5.5 0.3,7'] },
  ':': { w: 1, s: [dot(0.5, 2), dot(0.5, 6)] },
  ';': { w: 1, s: [dot(0.7, 2), '1,5.5 0.3,7'] },
  '-': { w: 3, s: ['0,3 3,3'] },
  '–': { s: ['0,3 4,3'] },
  '—': { w: 6, s: ['0,3 6,3'] },
  _: { s: ['0,6.5 4,6.5'] },
  '/': { s: ['0,6 4,0'] },
  '|': { w: 1, s: ['0.5,-0.5 0.5,6.5'] },
  '(': { w: 2, s: ['2,-0.5 0.8,1 0.8,5 2,6.5'] },
  ')': { w: 2, s: ['0,-0.5 1.2,1 1.2,5 0,6.5'] },
  '[': { w: 2, s: ['2,-0.5 0.5,-0.5 0.5,6.5 2,6.5'] },
  ']': { w: 2, s: ['0,-0.5 1.5,-0.5 1.5,6.5 0,6.5'] },
  "'": { w: 1, s: ['0.5,0 0.5,1.5'] },
  '’': { w: 1, s: ['0.7,0 0.3,1.5'] },
  '"': { w: 2, s: ['0.3,0 0.3,1.5', '1.7,0 1.7,1.5'] },
  '!': { w: 1, s: ['0.5,0 0.5,4', dot(0.5, 6)] },
  '?': QUESTION_MARK,
  '%': { s: ['0,6 4,0', '0,0 1,0 1,1 0,1 0,0', '3,5 4,5 4,6 3,6 3,5'] },
  '+': { s: ['2,1.5 2,4.5', '0.5,3 3.5,3'] },
  '=': { s: ['0.5,2 3.5,2', '0.5,4 3.5,4'] },
  '#': { s: ['1.3,0 1,6', '3,0 2.7,6', '0,2 4,2', '0,4 4,4'] },
  '&': { s: ['4,6 0.5,2 0.5,1 1.3,0 2.3,0 3,1 3,2 0,4 0,5 1,6 2.5,6 4,3.5'] },
  '@': { w: 5, s: ['3.5,4 3.5,2 1.5,2 1.5,4 3.5,4 5,4 5,1 4,0 1,0 0,1 0,5 1,6 4,6'] },
  '*': { s: ['2,1 2,5', '0.5,2 3.5,4', '3.5,2 0.5,4'] },
  '×': { s: ['0.8,1.8 3.2,4.2', '3.2,1.8 0.8,4.2'] },
  '·': { w: 1, s: [dot(0.5, 3)] },
  '~': { s: ['0,3.5 1,2.5 3,3.5 4,2.5'] },
  $: { s: [S, '2,-0.7 2,6.7'] },
  '€': { s: [C, '-0.5,2.4 2.5,2.4', '-0.5,3.6 2.5,3.6'] },
  '£': { s: ['4,1 3,0 2,0 1,1 1,6', '0,6 4,6', '0,3 3,3'] },
  '¥': { s: ['0,0 2,3 4,0', '2,3 2,6', '0.5,3.5 3.5,3.5', '0.5,4.7 3.5,4.7'] },
  '₩': { w: 5, s: ['0,0 1.25,6 2.5,2.5 3.75,6 5,0', '0,2.5 5,2.5', '0,3.8 5,3.8'] },
  '₹': { s: ['0,0 4,0', '0,1.7 4,1.7', '1,0 2,0 3,1 3,2.5 2,3.3 0.5,3.3 3.5,6'] },
  '₱': { s: [P, '-0.5,1.3 4.5,1.3'] },
  '₫': { s: ['3,0 3,5', '2,1 4,1', '3,3.5 1,3.5 1,5 3,5', '1,6 3,6'] },
  '₺': { s: ['1.5,0 1.5,6 4,4', '0,3 3,1.7', '0,4.5 3,3.2'] },
  '₦': { s: ['0,6 0,0 4,6 4,0', '-0.5,2.5 4.5,2.5', '-0.5,3.7 4.5,3.7'] },
  '₪': { s: ['0,6 0,0 2,0 3,1 3,4', '4,0 4,6 2,6 1,5 1,2'] },
}
const GAP = 1.5

/** Capitals without accents: the form the stroke font draws ("Café" → "CAFE"). */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase()

/** Whether every character can be drawn with the built-in stroke font (letters are drawn as capitals, unaccented). */
export function strokeFontCovers(text: string): boolean {
  return [...fold(text)].every((ch) => GLYPHS[ch] !== undefined)
}

function textWidth(text: string, size: number): number {
  const chars = [...fold(text)]
  const units = chars.reduce((w, ch) => w + (GLYPHS[ch]?.w ?? 4) + GAP, 0) - (chars.length ? GAP : 0)
  return (units * size) / 6
}

/** SVG path of `text` in the stroke font, `size` px cap height, anchored at (x, baseline y). */
function strokeText(
  text: string,
  x: number,
  y: number,
  size: number,
  color: string,
  anchor: 'start' | 'middle' | 'end' = 'start',
  weight = 1,
): string {
  const u = size / 6
  let cx = anchor === 'start' ? x : anchor === 'middle' ? x - textWidth(text, size) / 2 : x - textWidth(text, size)
  const top = y - size
  const parts: string[] = []
  for (const ch of fold(text)) {
    const g = GLYPHS[ch] ?? QUESTION_MARK
    for (const line of g.s) {
      const pts = line.split(' ').map((p) => p.split(',').map(Number) as [number, number])
      parts.push(`M${pts.map(([px, py]) => `${(cx + px * u).toFixed(2)} ${(top + py * u).toFixed(2)}`).join('L')}`)
    }
    cx += ((g.w ?? 4) + GAP) * u
  }
  if (parts.length === 0) return ''
  const stroke = Math.max(1, size / 7.5) * weight
  return `<path d="${parts.join('')}" fill="none" stroke="${color}" stroke-width="${stroke.toFixed(2)}" stroke-linecap="round" stroke-linejoin="round"/>`
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

// ---------------------------------------------------------------------------
// Scales and labels

/** A "nice" axis maximum and step (1, 2, 2.5 or 5 × 10^k) for `ticks` intervals. */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (!(max > 0)) return { max: ticks, step: 1 }
  const raw = max / ticks
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s * ticks >= max) ?? 10 * mag
  return { max: step * ticks, step }
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
/** "Sun" → SU, "Mon" → MO, …: the weekday in two capitals. */
const weekdayName = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'UTC' })

/** "MAR 1" on the first day shown and on the 1st of a month, the day number otherwise; and the weekday. */
function dayLabel(date: IsoDate, first: boolean): { day: string; weekday: string } {
  const d = new Date(`${date}T00:00:00Z`)
  const day = first || d.getUTCDate() === 1 ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}` : String(d.getUTCDate())
  return { day, weekday: weekdayName.format(d).slice(0, 2).toUpperCase() }
}

const COLORS = { spend: '#4C78A8', results: '#E8702A', grid: '#E3E6EA', axis: '#8A9099', text: '#2E3338', muted: '#6B7280' }

/** The chart as SVG (exported for tests and previews). */
export function digestChartSvg(series: ChartPoint[], options: ChartOptions): string {
  const W = options.width ?? 800
  const H = options.height ?? 400
  const currency = options.currency.toUpperCase()
  const withResults = options.resultsLabel !== null
  const resultsLabel = (options.resultsLabel ?? 'results').toUpperCase()
  const left = 72
  const right = W - 64
  const top = 64
  const bottom = H - 58
  const plotW = right - left
  const plotH = bottom - top
  const TICKS = 4

  const majorOf = (p: ChartPoint) => p.spendMinor / currencyOffset(currency)
  const spendMajor = series.map(majorOf)
  const spendScale = niceScale(Math.max(0, ...spendMajor), TICKS)
  const resultScale = niceScale(Math.max(0, ...series.map((p) => p.results)), TICKS)
  const resultStep = Math.max(1, resultScale.step)
  const resultMax = resultStep * TICKS
  const y = (v: number, max: number) => bottom - (Math.max(0, v) / max) * plotH

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="${W}" height="${H}" fill="#FFFFFF"/>`,
  ]

  // Title (stroke font when it can, system fonts otherwise).
  const title = options.title.trim()
  if (title) {
    if (strokeFontCovers(title)) {
      let size = 14
      while (size > 8 && textWidth(title, size) > W - 40) size -= 1
      out.push(strokeText(title, 20, 30, size, COLORS.text, 'start', 1.15))
    } else {
      out.push(
        `<text x="20" y="31" font-family="DejaVu Sans, Noto Sans CJK JP, Noto Sans, Lato, Arial, sans-serif" font-size="18" font-weight="bold" fill="${COLORS.text}">${xml(title)}</text>`,
      )
    }
  }

  // Legend.
  const spendLegend = `SPEND (${currency})`
  const legendY = 52
  out.push(`<rect x="${left}" y="${legendY - 9}" width="14" height="10" fill="${COLORS.spend}"/>`)
  out.push(strokeText(spendLegend, left + 20, legendY, 9, COLORS.text))
  if (withResults) {
    const lx = left + 20 + textWidth(spendLegend, 9) + 24
    out.push(
      `<line x1="${lx}" y1="${legendY - 4}" x2="${lx + 18}" y2="${legendY - 4}" stroke="${COLORS.results}" stroke-width="2.5"/><circle cx="${lx + 9}" cy="${legendY - 4}" r="3" fill="${COLORS.results}"/>`,
    )
    out.push(strokeText(resultsLabel, lx + 24, legendY, 9, COLORS.text))
  }

  // Grid and both axes' tick labels (the two scales share gridlines).
  for (let i = 0; i <= TICKS; i++) {
    const gy = bottom - (i / TICKS) * plotH
    out.push(
      `<line x1="${left}" y1="${gy.toFixed(1)}" x2="${right}" y2="${gy.toFixed(1)}" stroke="${i === 0 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`,
    )
    out.push(strokeText(compact.format(spendScale.step * i), left - 8, gy + 4, 9, COLORS.spend, 'end'))
    if (withResults) out.push(strokeText(compact.format(resultStep * i), right + 8, gy + 4, 9, COLORS.results, 'start'))
  }

  // Bars.
  const slot = plotW / Math.max(1, series.length)
  const barW = Math.max(2, slot * 0.62)
  series.forEach((p, i) => {
    const x = left + i * slot + (slot - barW) / 2
    const by = y(majorOf(p), spendScale.max)
    if (bottom - by > 0.5)
      out.push(
        `<rect x="${x.toFixed(1)}" y="${by.toFixed(1)}" width="${barW.toFixed(1)}" height="${(bottom - by).toFixed(1)}" rx="2" fill="${COLORS.spend}"/>`,
      )
    const label = dayLabel(p.date, i === 0)
    const cx = left + i * slot + slot / 2
    if (series.length <= 16 || i % 2 === series.length % 2) {
      out.push(strokeText(label.day, cx, bottom + 18, 9, COLORS.muted, 'middle'))
      out.push(strokeText(label.weekday, cx, bottom + 32, 7, COLORS.axis, 'middle'))
    }
  })

  // Results line.
  if (series.length > 0 && withResults) {
    const pts = series.map((p, i) => `${(left + i * slot + slot / 2).toFixed(1)},${y(p.results, resultMax).toFixed(1)}`)
    out.push(
      `<polyline points="${pts.join(' ')}" fill="none" stroke="${COLORS.results}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`,
    )
    for (const pt of pts) {
      const [cx, cy] = pt.split(',')
      out.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="#FFFFFF" stroke="${COLORS.results}" stroke-width="2"/>`)
    }
  } else if (series.length === 0) {
    out.push(strokeText('NO DATA', (left + right) / 2, (top + bottom) / 2, 14, COLORS.muted, 'middle'))
  }

  out.push('</svg>')
  return out.join('')
}

/** The 14-day spend (bars) and results (line) chart as a PNG of `width` × `height` (default 800 × 400). */
export async function renderDigestChart(series: ChartPoint[], options: ChartOptions): Promise<Buffer> {
  const svg = digestChartSvg(series, options)
  const needsSystemFonts = svg.includes('<text')
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: options.width ?? 800 },
    font: { loadSystemFonts: needsSystemFonts, defaultFontFamily: 'DejaVu Sans' },
    shapeRendering: 2,
    textRendering: 1,
  })
  return Buffer.from(resvg.render().asPng())
}
