/**
 * The refresh control: off / 10 s / 30 s / 1 min. It pauses while the tab is hidden (no requests
 * nobody sees) and refreshes at once when the tab comes back after its interval has passed.
 */
export const REFRESH_CHOICES = [0, 10, 30, 60] as const

export interface RefresherOptions {
  /** Runs one refresh; the refresher never starts a second while one runs. */
  refresh: () => Promise<void>
  document?: Pick<Document, 'hidden' | 'addEventListener' | 'removeEventListener'>
  now?: () => number
  onChange?: () => void
}

export class Refresher {
  #seconds = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #running = false
  #lastUpdated: number | undefined
  readonly #options: RefresherOptions
  readonly #doc: NonNullable<RefresherOptions['document']>
  readonly #now: () => number
  readonly #onVisibility = () => this.#visibility()

  constructor(options: RefresherOptions) {
    this.#options = options
    this.#doc = options.document ?? document
    this.#now = options.now ?? Date.now
    this.#doc.addEventListener('visibilitychange', this.#onVisibility)
  }

  get seconds(): number {
    return this.#seconds
  }
  get lastUpdated(): number | undefined {
    return this.#lastUpdated
  }
  get paused(): boolean {
    return this.#seconds > 0 && this.#doc.hidden
  }

  /** The page's data was loaded (by a refresh or by the page itself): the next tick counts from now. */
  markUpdated(): void {
    this.#lastUpdated = this.#now()
    this.#schedule()
    this.#options.onChange?.()
  }

  setInterval(seconds: number): void {
    this.#seconds = seconds
    this.#schedule()
    this.#options.onChange?.()
  }

  dispose(): void {
    this.#cancel()
    this.#doc.removeEventListener('visibilitychange', this.#onVisibility)
  }

  async tick(): Promise<void> {
    if (this.#running) return
    this.#running = true
    this.#cancel()
    try {
      await this.#options.refresh()
      this.#lastUpdated = this.#now()
    } finally {
      this.#running = false
      this.#schedule()
      this.#options.onChange?.()
    }
  }

  #cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #schedule(): void {
    this.#cancel()
    if (this.#seconds === 0 || this.#doc.hidden || this.#running) return
    const since = this.#lastUpdated === undefined ? Infinity : this.#now() - this.#lastUpdated
    const wait = Math.max(0, this.#seconds * 1000 - (Number.isFinite(since) ? since : this.#seconds * 1000))
    this.#timer = setTimeout(() => void this.tick(), wait)
  }

  #visibility(): void {
    if (this.#doc.hidden) this.#cancel()
    else this.#schedule()
    this.#options.onChange?.()
  }
}
