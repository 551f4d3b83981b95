import { describe, expect, it } from 'vitest'
import { addDays } from '../../lib/dates.ts'
import { digestChartSvg, niceScale, renderDigestChart, strokeFontCovers } from './render-chart.ts'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
  expect(png.toString('latin1', 12, 16)).toBe('IHDR')
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

const series = Array.from({ length: 14 }, (_, i) => ({
  date: addDays('2026-02-20', i),
  spendMinor: 80_000 + ((i * 37_000) % 90_000),
  results: 20 + ((i * 7) % 30),
}))

describe('renderDigestChart', () => {
  it('renders a valid 800 × 400 PNG with bars, a line and labels', async () => {
    const png = await renderDigestChart(series, { currency: 'USD', title: 'Acme US — last 14 days', resultsLabel: 'leads' })
    expect(ihdr(png)).toEqual({ width: 800, height: 400 })
    expect(png.length).toBeGreaterThan(10_000)
    expect(png.toString('latin1', png.length - 8, png.length - 4)).toBe('IEND')
  })

  it('honours the size, and zero-decimal currencies scale in major units', async () => {
    const jpy = series.map((p) => ({ ...p, spendMinor: p.spendMinor * 10 }))
    const png = await renderDigestChart(jpy, { currency: 'JPY', title: 'Tokyo Store', width: 1200, height: 600 })
    expect(ihdr(png)).toEqual({ width: 1200, height: 600 })
    const svg = digestChartSvg(jpy, { currency: 'JPY', title: 'Tokyo Store' })
    expect(svg).toContain('stroke="#4C78A8"') // tick labels drawn as strokes, no font needed
    expect(svg).not.toContain('<text')
  })

  it('renders empty data and a title outside the built-in font', async () => {
    const png = await renderDigestChart([], { currency: 'EUR', title: '東京 <store> & co' })
    expect(ihdr(png)).toEqual({ width: 800, height: 400 })
    const svg = digestChartSvg([], { currency: 'EUR', title: '東京 <store> & co' })
    expect(svg).toContain('東京 &lt;store&gt; &amp; co')
    const zeros = await renderDigestChart(
      series.map((p) => ({ ...p, spendMinor: 0, results: 0 })),
      { currency: 'USD', title: 'Idle' },
    )
    expect(ihdr(zeros).width).toBe(800)
  })

  it('draws spend only, without a results line or axis, when nothing seeks a result', () => {
    const withLine = digestChartSvg(series, { currency: 'EUR', title: 'Aware', resultsLabel: 'leads' })
    const spendOnly = digestChartSvg(series, { currency: 'EUR', title: 'Aware', resultsLabel: null })
    expect(withLine).toContain('<polyline points=')
    expect(spendOnly).not.toContain('<polyline points=')
    expect(spendOnly).not.toContain('#E8702A') // the results colour: no line, no legend, no right axis
    expect((spendOnly.match(/<rect x=/g) ?? []).length).toBe((withLine.match(/<rect x=/g) ?? []).length)
  })

  it('picks nice axis steps', () => {
    expect(niceScale(1_730)).toEqual({ max: 2_000, step: 500 })
    expect(niceScale(49)).toEqual({ max: 80, step: 20 })
    expect(niceScale(0)).toEqual({ max: 4, step: 1 })
  })

  it('knows which titles it can draw itself', () => {
    expect(strokeFontCovers('Acme (US) — 14 days: $1,234 & 50%')).toBe(true)
    expect(strokeFontCovers('Café Zürich')).toBe(true)
    expect(strokeFontCovers('東京')).toBe(false)
  })
})
