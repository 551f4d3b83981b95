import type { PrismaClient } from '../../src/generated/prisma/client.ts'

/**
 * Wraps a Prisma client so every model operation (findMany, groupBy, count, …) and raw query is counted.
 * `queries()` returns the count since the last `reset()`.
 */
export function countingQueries(prisma: PrismaClient): { prisma: PrismaClient; queries(): number; reset(): void } {
  let count = 0
  const delegates = new Map<PropertyKey, unknown>()
  const wrapDelegate = (delegate: object) =>
    new Proxy(delegate, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          count++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
  const client = new Proxy(prisma, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown
      if (
        typeof prop === 'string' &&
        /^\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/.test(prop) &&
        typeof value === 'function'
      ) {
        return (...args: unknown[]) => {
          count++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      }
      if (typeof prop === 'string' && !prop.startsWith('$') && value !== null && typeof value === 'object') {
        if (!delegates.has(prop)) delegates.set(prop, wrapDelegate(value))
        return delegates.get(prop)
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
  return {
    prisma: client,
    queries: () => count,
    reset: () => {
      count = 0
    },
  }
}
