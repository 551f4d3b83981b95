import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DataDirInUseError, lockDataDir } from './data-dir-lock.ts'

const FAST = { heartbeatMs: 50, staleMs: 400 }

describe('data folder lock (heartbeat, not pids)', () => {
  const cleanup: Array<() => void> = []
  afterEach(() => {
    for (const c of cleanup.splice(0).reverse()) c()
  })
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'promoly-lock-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    return dir
  }
  const lockFile = (dir: string) => join(dir, 'promoly.lock')
  const tokenIn = (dir: string) => (JSON.parse(readFileSync(lockFile(dir), 'utf8')) as { token: string }).token

  it('takes over the lock a crashed Promoly left behind (its heartbeat is old), whatever pid it names', async () => {
    const dir = tempDir()
    // In Docker, Promoly is pid 1, and pid 1 is alive in the restarted container too.
    writeFileSync(lockFile(dir), `${JSON.stringify({ token: 'crashed', pid: 1, host: 'old-container' })}\n`)
    const old = new Date(Date.now() - 60_000)
    utimesSync(lockFile(dir), old, old)
    const release = await lockDataDir(dir, FAST)
    expect(tokenIn(dir)).not.toBe('crashed')
    release()
    expect(() => readFileSync(lockFile(dir))).toThrow()
  })

  it('an immediate restart after a crash succeeds once the heartbeat goes stale', async () => {
    const dir = tempDir()
    writeFileSync(lockFile(dir), `${JSON.stringify({ token: 'just-crashed', pid: 1 })}\n`) // refreshed just now
    const started = Date.now()
    const release = await lockDataDir(dir, FAST)
    expect(Date.now() - started).toBeGreaterThanOrEqual(FAST.staleMs - 50)
    expect(tokenIn(dir)).not.toBe('just-crashed')
    release()
  })

  it('refuses a lock whose holder (another process) keeps heartbeating, and takes it once that process is killed', async () => {
    const dir = tempDir()
    const script = join(dir, 'holder.mts')
    writeFileSync(
      script,
      `import { lockDataDir } from ${JSON.stringify(resolve('src/lib/data-dir-lock.ts'))}\nawait lockDataDir(process.argv[2], ${JSON.stringify(FAST)})\nconsole.log('locked')\nsetInterval(() => {}, 1000)\n`,
    )
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] })
    cleanup.push(() => child.kill('SIGKILL'))
    await new Promise<void>((ok, fail) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('locked') && ok())
      child.once('exit', () => fail(new Error('holder exited')))
    })
    const holderToken = tokenIn(dir)
    // Longer than the stale interval: only the child's heartbeat keeps it fresh.
    const refused = await lockDataDir(dir, { ...FAST, waitMs: 1_200 }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(DataDirInUseError)
    expect((refused as Error).message).toMatch(new RegExp(`Promoly \\(pid ${child.pid} on .+\\) is running on the embedded database in`))
    expect((refused as Error).message).toContain(`delete ${lockFile(dir)}`)
    expect(tokenIn(dir)).toBe(holderToken)
    // SIGKILL: no release; the lock goes stale and is taken over.
    child.kill('SIGKILL')
    const release = await lockDataDir(dir, { ...FAST, waitMs: 3_000 })
    expect(tokenIn(dir)).not.toBe(holderToken)
    release()
  }, 30_000)

  it('a fresh lock naming our own pid but another token is refused (pids mean nothing across containers), and is not removed', async () => {
    const dir = tempDir()
    const write = () => writeFileSync(lockFile(dir), `${JSON.stringify({ token: 'other-container', pid: process.pid })}\n`)
    write()
    // The other container keeps heartbeating.
    const beat = setInterval(() => {
      const now = new Date()
      utimesSync(lockFile(dir), now, now)
    }, FAST.heartbeatMs)
    cleanup.push(() => clearInterval(beat))
    await expect(lockDataDir(dir, { ...FAST, waitMs: 800 })).rejects.toBeInstanceOf(DataDirInUseError)
    expect(tokenIn(dir)).toBe('other-container')
  })

  it('a second open in the same process is refused at once; a release never removes a lock that is not ours', async () => {
    const dir = tempDir()
    const release = await lockDataDir(dir, FAST)
    const started = Date.now()
    await expect(lockDataDir(dir, { ...FAST, waitMs: 5_000 })).rejects.toBeInstanceOf(DataDirInUseError)
    expect(Date.now() - started).toBeLessThan(1_000)
    // Someone deleted our lock by hand and another Promoly took it: our release leaves theirs alone.
    writeFileSync(lockFile(dir), `${JSON.stringify({ token: 'theirs', pid: 1 })}\n`)
    release()
    expect(tokenIn(dir)).toBe('theirs')
  })
})
