/** Messages between the ack-latency bench (the load generator) and its child processes. */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export type ChildMessage =
  | { type: 'ready'; [key: string]: unknown }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'error'; message: string }

export interface Child {
  ready: Record<string, unknown>
  ask<T>(request: Record<string, unknown>): Promise<T>
  stop(): Promise<void>
}

/** Wall-clock milliseconds comparable across processes (sub-millisecond resolution). */
export const wallNow = () => performance.timeOrigin + performance.now()

/**
 * Forks `bench/ack/<script>` (with the parent's tsx loader) and waits for its `ready` message.
 * Requests are answered by `{ type: 'reply', id }`; `stop` asks it to stop, then kills it.
 */
export async function startChild(script: string, env: Record<string, string> = {}): Promise<Child> {
  const proc: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let seq = 0
  const pending = new Map<number, (value: unknown) => void>()
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before it was ready`)))
    proc.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') resolve(m)
      else if (m.type === 'error') reject(new Error(`${script}: ${m.message}`))
      else if (m.type === 'reply') pending.get(m.id)?.(m.value)
    })
  })
  proc.removeAllListeners('exit')
  return {
    ready,
    ask<T>(request: Record<string, unknown>) {
      const id = ++seq
      return new Promise<T>((resolve) => {
        pending.set(id, (v) => {
          pending.delete(id)
          resolve(v as T)
        })
        proc.send({ ...request, id })
      })
    },
    async stop() {
      if (proc.exitCode !== null) return
      const exited = new Promise<void>((r) => proc.once('exit', () => r()))
      proc.send({ type: 'stop' })
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** In a child: answers the parent's requests; `stop` runs `onStop` then exits. */
export function serveParent(
  handlers: Record<string, (request: Record<string, unknown>) => unknown | Promise<unknown>>,
  onStop: () => Promise<void>,
): void {
  process.on('message', async (m: Record<string, unknown> & { type: string; id?: number }) => {
    if (m.type === 'stop') {
      await onStop().catch((err) => console.error(err))
      process.exit(0)
    }
    const handler = handlers[m.type]
    if (handler && m.id !== undefined) toParent({ type: 'reply', id: m.id, value: await handler(m) })
  })
  process.on('disconnect', () => process.exit(1))
}

/** In a child: a message to the parent (over the IPC channel `fork` opens). */
export function toParent(message: ChildMessage): void {
  if (!process.send) throw new Error('no IPC channel: this script is a child of bench/ack-latency.ts, not run on its own')
  process.send(message)
}

/** In a child: a variable the parent sets. */
export function parentEnv(name: string): string {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set: this script is a child of bench/ack-latency.ts, not run on its own`)
  return value
}

export function reportStartupError(err: unknown): never {
  process.send?.({ type: 'error', message: (err as Error).stack ?? String(err) })
  process.exit(1)
}
