/**
 * One process per embedded data folder: PGlite is not safe to open from two processes, and `promoly
 * rotate-key` must not switch the key under a running Promoly (it keeps the old key in memory).
 *
 * Pids mean nothing across pid namespaces (in Docker, Promoly is pid 1 in every container), so the lock is
 * a heartbeat instead: whoever opens the embedded database creates `<dataDir>/promoly.lock` exclusively
 * (0600) with a random owner token, and refreshes the file's modification time every `heartbeatMs` (5 s)
 * while it runs. Any process that shares the folder (another container, another host on a shared volume
 * with the same clock) sees the lock as held while its heartbeat is younger than `staleMs` (20 s). A starter
 * that finds a fresh lock re-checks for up to `waitMs` (the stale interval and a heartbeat: so a restart right
 * after a crash succeeds within ~25 s) and then refuses. A stale lock is taken over under a short-lived
 * guard file, so two starters cannot both take it. The lock is released (deleted) only while it holds our token.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

const DATA_DIR_LOCK_FILE = 'promoly.lock'

export interface DataDirLockTimings {
  /** How often the holder refreshes the lock (default 5 s). */
  heartbeatMs: number
  /** A lock whose last heartbeat is older than this is stale: its holder is gone (default 20 s). */
  staleMs: number
  /** How long a starter that finds a fresh lock re-checks before refusing (default staleMs + heartbeatMs). */
  waitMs: number
}

const DEFAULT_TIMINGS: DataDirLockTimings = { heartbeatMs: 5_000, staleMs: 20_000, waitMs: 25_000 }

interface LockOwner {
  token: string
  pid?: number
  host?: string
}

/** The embedded database is in use by another process (or already open in this one). */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid?: number; host?: string; heartbeatAgeMs?: number },
  ) {
    const lockFile = join(dataDir, DATA_DIR_LOCK_FILE)
    const who = holder.pid !== undefined ? ` (pid ${holder.pid}${holder.host ? ` on ${holder.host}` : ''})` : ''
    const age =
      holder.heartbeatAgeMs !== undefined ? ` It was still alive ${Math.max(0, Math.round(holder.heartbeatAgeMs / 1000))} s ago.` : ''
    super(
      `Promoly${who} is running on the embedded database in ${dataDir}.${age} Stop it first: \`promoly rotate-key\`, \`promoly migrate\` and a second Promoly each need the data folder to themselves (in Docker: stop the container that runs Promoly). If no Promoly is running on this folder anywhere, delete ${lockFile}.`,
    )
    this.name = 'DataDirInUseError'
  }
}

/** Owner tokens of the locks this process holds (a second open in this process is refused at once). */
const heldTokens = new Set<string>()

function readOwner(lockFile: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockOwner>
    return typeof parsed.token === 'string' ? { token: parsed.token, pid: parsed.pid, host: parsed.host } : undefined
  } catch {
    return undefined
  }
}

/** Milliseconds since the file was last refreshed; undefined when it does not exist. */
function ageOf(file: string): number | undefined {
  try {
    return Date.now() - statSync(file).mtimeMs
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

function tryCreate(lockFile: string, owner: LockOwner): boolean {
  let fd: number
  try {
    fd = openSync(lockFile, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

function unlinkIfPresent(file: string): void {
  try {
    unlinkSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}

/**
 * Deletes the lock if it is (still) stale, under a guard file so that two starters never both delete and
 * recreate it (one could delete the other's fresh lock). A guard left by a crash mid-takeover goes stale too.
 */
function removeIfStale(lockFile: string, staleMs: number): void {
  const guard = `${lockFile}.takeover`
  if (!tryCreate(guard, { token: randomBytes(8).toString('hex') })) {
    const guardAge = ageOf(guard)
    if (guardAge !== undefined && guardAge > staleMs) unlinkIfPresent(guard)
    return
  }
  try {
    const age = ageOf(lockFile)
    if (age !== undefined && age > staleMs) unlinkIfPresent(lockFile)
  } finally {
    unlinkIfPresent(guard)
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Takes the data folder for this process. A lock held by someone else whose heartbeat is fresh is waited on
 * (re-checked) for up to `waitMs`, then refused with DataDirInUseError; a stale one is taken over.
 * `onWaiting` is told once when the wait starts. Returns the release.
 */
export async function lockDataDir(
  dataDir: string,
  options: Partial<DataDirLockTimings> & { onWaiting?: (message: string) => void } = {},
): Promise<() => void> {
  const timings = { ...DEFAULT_TIMINGS, ...options }
  if (options.waitMs === undefined) timings.waitMs = timings.staleMs + timings.heartbeatMs
  const lockFile = join(dataDir, DATA_DIR_LOCK_FILE)
  const owner: LockOwner = { token: randomBytes(16).toString('hex'), pid: process.pid, host: hostname() }
  const deadline = Date.now() + timings.waitMs
  let told = false
  for (;;) {
    if (tryCreate(lockFile, owner)) break
    const current = readOwner(lockFile)
    const age = ageOf(lockFile)
    if (age === undefined) continue // released meanwhile: try again
    if (current && heldTokens.has(current.token)) throw new DataDirInUseError(dataDir, { ...current, heartbeatAgeMs: age })
    if (age > timings.staleMs) {
      removeIfStale(lockFile, timings.staleMs)
      await sleep(10)
      continue
    }
    if (Date.now() >= deadline) throw new DataDirInUseError(dataDir, { ...current, heartbeatAgeMs: age })
    if (!told) {
      told = true
      options.onWaiting?.(
        `${lockFile} was refreshed ${Math.round(age / 1000)} s ago: waiting up to ${Math.round(timings.waitMs / 1000)} s to see whether the Promoly holding it is still running`,
      )
    }
    await sleep(Math.min(timings.heartbeatMs, 1_000, Math.max(10, deadline - Date.now())))
  }
  heldTokens.add(owner.token)
  const ours = () => readOwner(lockFile)?.token === owner.token
  const heartbeat = setInterval(() => {
    try {
      if (!ours()) {
        clearInterval(heartbeat)
        return
      }
      const now = new Date()
      utimesSync(lockFile, now, now)
    } catch {
      // The folder went away or is unreadable for a moment: the next beat tries again.
    }
  }, timings.heartbeatMs)
  heartbeat.unref()
  let released = false
  return () => {
    if (released) return
    released = true
    clearInterval(heartbeat)
    heldTokens.delete(owner.token)
    if (ours()) unlinkIfPresent(lockFile)
  }
}
