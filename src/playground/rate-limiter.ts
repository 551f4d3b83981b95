/**
 * Slack's per-channel posting limit (about one message per second, short bursts allowed) as a
 * token bucket per key. `take` answers how many seconds to wait when the bucket is empty.
 */
export function createRateLimiter(options: { burst: number; perSecond: number; now?: () => number }) {
  const now = options.now ?? (() => Date.now())
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
      const t = now()
      const b = buckets.get(key) ?? { tokens: options.burst, at: t }
      b.tokens = Math.min(options.burst, b.tokens + ((t - b.at) / 1000) * options.perSecond)
      b.at = t
      buckets.set(key, b)
      if (b.tokens >= 1) {
        b.tokens -= 1
        return { ok: true }
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / options.perSecond)) }
    },
  }
}
