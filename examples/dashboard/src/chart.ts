/**
 * Time-series charts on uPlot: a legend that shows the values under the cursor, gaps where data is
 * missing, and an alarm's states drawn as bands behind the lines.
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatTime, formatValue } from './lib/format.js'
import { align, type ChartSeries, type StateBand } from './lib/series.js'

/** Distinguishable in light and dark mode (Okabe–Ito, colour-blind safe). */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#7a7a00', '#999999']
const BAND: Record<StateBand['state'], string> = {
  ALARM: 'rgba(213, 94, 0, 0.18)',
  UNDETERMINED: 'rgba(150, 150, 150, 0.22)',
  OK: 'rgba(0, 158, 115, 0.10)',
}

function bandsPlugin(bands: StateBand[]): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u: uPlot) => {
        const { ctx } = u
        const { top, height } = u.bbox
        ctx.save()
        for (const band of bands) {
          const x0 = u.valToPos(band.from, 'x', true)
          const x1 = u.valToPos(band.to, 'x', true)
          ctx.fillStyle = BAND[band.state]
          ctx.fillRect(x0, top, Math.max(1, x1 - x0), height)
        }
        ctx.restore()
      },
    },
  }
}

export interface ChartOptions {
  title: string
  series: ChartSeries[]
  bands?: StateBand[]
  /** Seconds: the x range (so an empty stretch at either end shows as empty). */
  range?: [number, number]
  height?: number
}

export interface Chart {
  element: HTMLElement
  destroy(): void
}

export function drawChart(container: HTMLElement, options: ChartOptions): Chart {
  const styles = getComputedStyle(document.documentElement)
  const ink = styles.getPropertyValue('--ink').trim() || '#222'
  const grid = styles.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.25)'
  const axis: uPlot.Axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }
  const width = () => Math.max(280, container.clientWidth || 600)
  const data = align(options.series) as unknown as uPlot.AlignedData
  const plot = new uPlot(
    {
      title: options.title,
      width: width(),
      height: options.height ?? 300,
      scales: { x: { time: true, ...(options.range ? { range: () => options.range! } : {}) } },
      axes: [{ ...axis }, { ...axis, size: 60, values: (_u, values) => values.map((v) => formatValue(v)) }],
      series: [
        { label: 'Time', value: (_u, v) => (v === null ? '—' : formatTime(v * 1000)) },
        ...options.series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length]!,
          width: 1.5,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => formatValue(v),
        })),
      ],
      legend: { live: true },
      cursor: { focus: { prox: 16 } },
      plugins: options.bands?.length ? [bandsPlugin(options.bands)] : [],
    },
    data,
    container,
  )
  plot.root.setAttribute('role', 'figure')
  plot.root.setAttribute('aria-label', `${options.title}: ${options.series.length} series`)
  plot.root.dataset.series = String(options.series.length)
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: options.height ?? 300 }))
  resize.observe(container)
  return {
    element: plot.root,
    destroy: () => {
      resize.disconnect()
      plot.destroy()
    },
  }
}
