/**
 * Paces the work Slack listeners do after their ack, so that acks go first.
 *
 * Node runs one callback at a time: when fifty commands have been acked and each goes on to query the
 * database and build its blocks, every step of that work sits in the same event loop as the next
 * requests' acks, which then wait behind it. Listeners enter this queue right after their ack: at most
 * `concurrency` of them run their post-ack work at a time, and each starts from `setImmediate`, i.e.
 * after the event loop has taken in the requests that are waiting (so their acks go out first).
 *
 * Two bounds keep the pacing from hurting anyone: a request never waits more than `maxWaitMs` for its
 * turn (a trigger_id lasts 3 s, and lists should not queue without limit), and a request that is still
 * busy after `maxHoldMs` (waiting on Slack or Meta, say) gives its turn to the next.
 */
export interface AfterAckQueue {
  /** Resolves when the caller's post-ack work may start; call the function it gives when that work ends. */
  enter(): Promise<() => void>
}

export interface AfterAckOptions {
  /** Post-ack tasks running at once (default 2). */
  concurrency?: number
  /** The longest a task waits for its turn (default 500 ms). */
  maxWaitMs?: number
  /** A task holds its turn at most this long (default 500 ms). */
  maxHoldMs?: number
}

export function createAfterAckQueue(options: AfterAckOptions = {}): AfterAckQueue {
  const concurrency = options.concurrency ?? 2
  const maxWaitMs = options.maxWaitMs ?? 500
  const maxHoldMs = options.maxHoldMs ?? 500
  const waiting: Array<{ since: number; start: () => void }> = []
  let running = 0
  let pumpScheduled = false
  let overdueTimer: NodeJS.Timeout | undefined

  const pump = () => {
    pumpScheduled = false
    const now = performance.now()
    while (waiting.length > 0 && (running < concurrency || now - waiting[0]!.since >= maxWaitMs)) waiting.shift()!.start()
    armOverdueTimer()
  }
  const schedulePump = () => {
    if (pumpScheduled) return
    pumpScheduled = true
    setImmediate(pump)
  }
  // When every turn is taken, the oldest waiting task still starts once it has waited maxWaitMs.
  const armOverdueTimer = () => {
    if (overdueTimer) clearTimeout(overdueTimer)
    overdueTimer = undefined
    if (waiting.length === 0) return
    overdueTimer = setTimeout(schedulePump, Math.max(0, maxWaitMs - (performance.now() - waiting[0]!.since)))
    overdueTimer.unref()
  }

  return {
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
