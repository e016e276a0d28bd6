import type { WithResponse } from '../paginate.js'

/**
 * What every non-list call returns: a promise of the data that can also give the reply it came in
 * (`await call.withResponse()` → `{ data, response, requestId }`, as openai-node does), so a
 * successful call's request id is not thrown away. The request starts at once, as a plain promise's would.
 */
export class CallPromise<T> implements Promise<T> {
  readonly [Symbol.toStringTag] = 'CallPromise'
  readonly #answer: Promise<WithResponse<T>>

  constructor(run: () => Promise<WithResponse<T>>) {
    this.#answer = run()
  }

  /** The data with the reply's status, headers and request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#answer
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#answer.then((answer) => answer.data).then(onFulfilled, onRejected)
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected)
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onFinally)
  }
}
