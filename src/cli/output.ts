/** Printing list results: one page as the Python client does, or every page with `--all`. */
import type { CliContext, Json, PageLike } from './client-types.js'
import { pyJson } from './pyformat.js'
import { renderTable } from './table.js'
import type { OptionSpec } from './spec.js'

export const ALL_OPTION: OptionSpec = {
  flag: '--all',
  help: 'Follow the next links and print every page (one page in memory at a time; a table per batch of --limit rows, 1000 by default). Progress goes to stderr when it is a terminal. Not in the Python client.',
  boolean: true,
}

export interface ListView {
  headers: string[]
  row(item: Json): string[]
}

export interface ListOutput {
  json: boolean
  all: boolean
  /** Rows per table with --all. */
  batch?: number
}

/** Counts items on stderr, on one line redrawn in place, when stderr is a terminal. */
export class Progress {
  private count = 0
  private lastDraw = 0
  constructor(private readonly ctx: CliContext) {}
  tick(): void {
    this.count++
    if (!this.ctx.errIsTTY) return
    const now = Date.now()
    if (now - this.lastDraw < 100) return
    this.lastDraw = now
    this.ctx.errRaw(`\r\x1b[2Kmonasca: ${this.count} fetched…`)
  }
  done(): void {
    if (this.ctx.errIsTTY && this.lastDraw > 0) this.ctx.errRaw('\r\x1b[2K')
  }
}

/** Print a list result as a table or JSON (`-j`, elements as a JSON array). */
export async function printList(ctx: CliContext, page: PageLike, view: ListView, opts: ListOutput): Promise<void> {
  if (!opts.all) {
    const items = await page
    ctx.out(opts.json ? pyJson(items) : renderTable(view.headers, items.map((i) => view.row(i))))
    return
  }
  const progress = new Progress(ctx)
  try {
    if (opts.json) {
      // Streamed, yet byte-identical to JSON.stringify(everything, null, 2).
      let pending: string | undefined
      for await (const item of page) {
        progress.tick()
        if (pending === undefined) ctx.out('[')
        else ctx.out(pending + ',')
        pending = '  ' + pyJson(item).replace(/\n/g, '\n  ')
      }
      if (pending === undefined) ctx.out('[]')
      else ctx.out(pending + '\n]')
      return
    }
    const batch = opts.batch && opts.batch > 0 ? opts.batch : 1000
    let rows: string[][] = []
    let printed = false
    for await (const item of page) {
      progress.tick()
      rows.push(view.row(item))
      if (rows.length >= batch) {
        ctx.out(renderTable(view.headers, rows))
        rows = []
        printed = true
      }
    }
    if (rows.length > 0 || !printed) ctx.out(renderTable(view.headers, rows))
  } finally {
    progress.done()
  }
}
