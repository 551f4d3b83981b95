/**
 * One process per embedded data folder: PGlite is not safe to open from two processes, and `promoly
 * rotate-key` must not switch the key under a running Promoly (it keeps the old key in memory). Whoever opens
 * the embedded database writes its pid to `<dataDir>/promoly.pid` (created exclusively, 0600) and removes it on
 * close. A file whose process is gone (a crash) is taken over; one whose process is alive is refused.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

const DATA_DIR_LOCK_FILE = 'promoly.pid'

/** The embedded database is in use by another process (or already open in this one). */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    const lockFile = join(dataDir, DATA_DIR_LOCK_FILE)
    super(
      `Promoly (pid ${pid}) is running on the embedded database in ${dataDir}. Stop it first: \`promoly rotate-key\`, \`promoly migrate\` and a second Promoly each need the data folder to themselves. If no Promoly is running, delete ${lockFile}.`,
    )
    this.name = 'DataDirInUseError'
  }
}

/** Data folders this process holds (a pid file naming this process that is not in here is stale). */
const held = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function holderOf(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10)
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** Takes the data folder for this process; throws DataDirInUseError while another live process holds it. Returns the release. */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, DATA_DIR_LOCK_FILE)
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600)
      try {
        writeSync(fd, `${process.pid}\n`)
      } finally {
        closeSync(fd)
      }
      held.add(lockFile)
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err
      const pid = holderOf(lockFile)
      const ours = pid === process.pid && held.has(lockFile)
      if (pid !== undefined && (ours || (pid !== process.pid && isAlive(pid)))) throw new DataDirInUseError(dataDir, pid)
      // Left behind by a process that is gone (or unreadable): take it over.
      unlinkSync(lockFile)
    }
  }
  let released = false
  return () => {
    if (released) return
    released = true
    held.delete(lockFile)
    if (holderOf(lockFile) === process.pid) unlinkSync(lockFile)
  }
}
