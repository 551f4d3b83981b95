import type { PrismaClient } from '../../src/generated/prisma/client.ts'

/**
 * Wraps a Prisma client so every model operation (findMany, groupBy, count, …) and raw query is counted, including
 * those made on the transaction client inside an interactive `$transaction(async (tx) => …)`.
 * `queries()` returns the count since the last `reset()`.
 */
export function countingQueries(prisma: PrismaClient): { prisma: PrismaClient; queries(): number; reset(): void } {
  let count = 0
  const counted =
    (fn: (...a: unknown[]) => unknown, self: unknown) =>
    (...args: unknown[]) => {
      count++
      return fn.apply(self, args)
    }
  const wrapDelegate = (delegate: object) =>
    new Proxy(delegate, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown
        return typeof value === 'function' ? counted(value as (...a: unknown[]) => unknown, target) : value
      },
    })
  const wrapClient = <C extends object>(client: C): C => {
    const delegates = new Map<PropertyKey, unknown>()
    return new Proxy(client, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown
        if (
          typeof prop === 'string' &&
          /^\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/.test(prop) &&
          typeof value === 'function'
        ) {
          return counted(value as (...a: unknown[]) => unknown, target)
        }
        if (prop === '$transaction' && typeof value === 'function') {
          // An interactive transaction's statements count too: hand the callback a counting transaction client.
          return (arg: unknown, options?: unknown) =>
            typeof arg === 'function'
              ? (value as (...a: unknown[]) => unknown).call(
                  target,
                  (tx: object) => (arg as (t: object) => unknown)(wrapClient(tx)),
                  options,
                )
              : (value as (...a: unknown[]) => unknown).call(target, arg, options)
        }
        if (typeof prop === 'string' && !prop.startsWith('$') && value !== null && typeof value === 'object') {
          if (!delegates.has(prop)) delegates.set(prop, wrapDelegate(value))
          return delegates.get(prop)
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      },
    })
  }
  return {
    prisma: wrapClient(prisma),
    queries: () => count,
    reset: () => {
      count = 0
    },
  }
}
