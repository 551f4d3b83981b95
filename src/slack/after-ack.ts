/**
 * Paces the work Slack listeners do after their ack, so that acks go first.
 *
 * Node runs one callback at a time: when fifty commands have been acked and each goes on to query the
 * database and build its blocks, every step of that work sits in the same event loop as the next
 * requests' acks, which then wait behind it. Listeners enter this queue right after their ack, and their
 * post-ack work starts when its turn comes:
 * - while requests keep arriving (one came in the last `quietMs`), it waits: their acks go first;
 * - at most `concurrency` tasks run at once, so few of their steps stand between a request and its ack;
 * - it starts from `setImmediate`, i.e. after the event loop has taken in the requests already waiting.
 *
 * Two bounds keep the pacing from hurting anyone: a task never waits more than `maxWaitMs` for its turn
 * (a trigger_id lasts 3 s, and lists should not queue without limit), and a task that is still busy after
 * `maxHoldMs` (waiting on Slack or Meta, say) gives its turn to the next.
 */
export interface AfterAckQueue {
  /** Resolves when the caller's post-ack work may start; call the function it gives when that work ends. */
  enter(): Promise<() => void>
  /** A request came in (its ack is on its way): post-ack work waits until requests stop coming for a moment. */
  requestArrived(): void
}

export interface AfterAckOptions {
  /** Post-ack tasks running at once (default 2). */
  concurrency?: number
  /** How long no request must have arrived before post-ack work starts (default 3 ms). */
  quietMs?: number
  /** The longest a task waits for its turn (default 500 ms). */
  maxWaitMs?: number
  /** A task holds its turn at most this long (default 500 ms). */
  maxHoldMs?: number
}

export function createAfterAckQueue(options: AfterAckOptions = {}): AfterAckQueue {
  const concurrency = options.concurrency ?? 2
  const quietMs = options.quietMs ?? 3
  const maxWaitMs = options.maxWaitMs ?? 500
  const maxHoldMs = options.maxHoldMs ?? 500
  const waiting: Array<{ since: number; start: () => void }> = []
  let running = 0
  let lastArrival = -Infinity
  let pumpScheduled = false
  let timer: NodeJS.Timeout | undefined

  const pump = () => {
    pumpScheduled = false
    const now = performance.now()
    const quiet = now - lastArrival >= quietMs
    let next = waiting[0]
    while (next && ((quiet && running < concurrency) || now - next.since >= maxWaitMs)) {
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
    if (!oldest) return
    let at = oldest.since + maxWaitMs
    if (!quiet && running < concurrency) at = Math.min(at, lastArrival + quietMs)
    timer = setTimeout(schedulePump, Math.max(0, at - now))
    timer.unref()
  }

  return {
    requestArrived() {
      lastArrival = performance.now()
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
