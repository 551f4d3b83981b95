/**
 * Paces the work Slack listeners do after their ack, so that acks go first.
 *
 * Node runs one callback at a time: when fifty commands have been acked and each goes on to query the
 * database and build its blocks, every step of that work sits in the same event loop as the next
 * requests' acks, which then wait behind it. Listeners enter this queue right after their ack, and their
 * post-ack work starts when its turn comes:
 * - while requests keep arriving (one came in the last `quietMs`, or one has come in and not been answered
 *   yet), it waits: their acks go first;
 * - at most `concurrency` tasks run at once, so few of their steps stand between a request and its ack;
 * - it starts from `setImmediate`, i.e. after the event loop has taken in the requests already waiting;
 * - a running task gives way again between its phases (`pause()`: after its queries, before rendering,
 *   before posting), so a request that arrives meanwhile is acked before the task's next synchronous step
 *   rather than after the whole task.
 *
 * Three bounds keep the pacing from hurting anyone: a task never waits more than `maxWaitMs` for its turn
 * beyond a free slot (a trigger_id lasts 3 s, and lists should not queue without limit) — past that it
 * starts as soon as a turn is free, whether requests are still coming or not, but never above
 * `concurrency`; a task that is still busy after `maxHoldMs` (waiting on Slack or Meta, say) gives its turn
 * to the next; and a pause lasts at most `maxPauseMs`.
 */
export interface AfterAckQueue {
  /** Resolves when the caller's post-ack work may start; call the function it gives when that work ends. */
  enter(): Promise<() => void>
  /** A request came in (its ack is on its way): post-ack work waits until requests stop coming for a moment. */
  requestArrived(): void
  /**
   * A request came in and is in flight until the function it gives is called (when its response has been
   * sent): post-ack work waits while any is in flight (bounded by `maxWaitMs`/`maxPauseMs`).
   */
  requestStarted(): () => void
  /**
   * Between two phases of post-ack work: resolves from the event loop (after the callbacks already waiting
   * there), and, while requests are coming in, once they stop for a moment (at most `maxPauseMs`).
   */
  pause(): Promise<void>
}

export interface AfterAckOptions {
  /** Post-ack tasks running at once (default 2). */
  concurrency?: number
  /**
   * How long no request must have been in flight before post-ack work starts (default 15 ms): long enough
   * that a burst whose acks all went out at once is not taken for its end while its senders send again.
   */
  quietMs?: number
  /** The longest a task waits for its turn (default 500 ms). */
  maxWaitMs?: number
  /** A task holds its turn at most this long (default 500 ms). */
  maxHoldMs?: number
  /** A pause between two phases of a task lasts at most this long (default 100 ms). */
  maxPauseMs?: number
}

export function createAfterAckQueue(options: AfterAckOptions = {}): AfterAckQueue {
  const concurrency = options.concurrency ?? 2
  const quietMs = options.quietMs ?? 15
  const maxWaitMs = options.maxWaitMs ?? 500
  const maxHoldMs = options.maxHoldMs ?? 500
  const maxPauseMs = options.maxPauseMs ?? 100
  const waiting: Array<{ since: number; start: () => void }> = []
  const paused: Array<{ since: number; resume: () => void }> = []
  let running = 0
  let inFlight = 0
  let lastArrival = -Infinity
  let pumpScheduled = false
  let timer: NodeJS.Timeout | undefined

  const isQuiet = (now: number) => inFlight === 0 && now - lastArrival >= quietMs

  const pump = () => {
    pumpScheduled = false
    const now = performance.now()
    const quiet = isQuiet(now)
    // Paused tasks hold their turns already: they go on first.
    while (paused.length > 0 && (quiet || now - (paused[0]?.since ?? now) >= maxPauseMs)) paused.shift()?.resume()
    let next = waiting[0]
    while (next && running < concurrency && (quiet || now - next.since >= maxWaitMs)) {
      waiting.shift()
      next.start()
      next = waiting[0]
    }
    armTimer(now, quiet)
  }
  const schedulePump = () => {
    if (pumpScheduled) return
    pumpScheduled = true
    setImmediate(pump)
  }
  // Look again when the quiet time is over (if a turn is free) or when the oldest task has waited long enough.
  const armTimer = (now: number, quiet: boolean) => {
    if (timer) clearTimeout(timer)
    timer = undefined
    const oldest = waiting[0]
    const oldestPause = paused[0]
    let at = Infinity
    // A waiting task needs a free turn; when none is free, the release of one pumps again.
    if (oldest && running < concurrency) at = oldest.since + maxWaitMs
    if (oldestPause) at = Math.min(at, oldestPause.since + maxPauseMs)
    if (at === Infinity) return
    // While requests are in flight, their ends pump again; otherwise look when the quiet time is over.
    if (!quiet && inFlight === 0) at = Math.min(at, lastArrival + quietMs)
    timer = setTimeout(schedulePump, Math.max(0, at - now))
    timer.unref()
  }

  return {
    requestArrived() {
      lastArrival = performance.now()
    },
    requestStarted() {
      lastArrival = performance.now()
      inFlight++
      let ended = false
      return () => {
        if (ended) return
        ended = true
        inFlight--
        lastArrival = performance.now()
        if (inFlight === 0 && (waiting.length > 0 || paused.length > 0)) armTimer(performance.now(), false)
      }
    },
    pause() {
      return new Promise((resolve) => {
        paused.push({ since: performance.now(), resume: resolve })
        schedulePump()
      })
    },
    enter() {
      return new Promise((resolve) => {
        waiting.push({
          since: performance.now(),
          start: () => {
            running++
            let released = false
            const release = () => {
              if (released) return
              released = true
              clearTimeout(holdTimer)
              running--
              schedulePump()
            }
            const holdTimer = setTimeout(release, maxHoldMs)
            holdTimer.unref()
            resolve(release)
          },
        })
        schedulePump()
      })
    },
  }
}
