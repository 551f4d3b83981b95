import { describe, expect, it } from 'vitest'
import { createAfterAckQueue } from './after-ack.ts'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the after-ack queue', () => {
  it('runs at most `concurrency` tasks at once, the others in arrival order as turns free up', async () => {
    const queue = createAfterAckQueue({ concurrency: 2, maxWaitMs: 10_000, maxHoldMs: 10_000 })
    const started: number[] = []
    let running = 0
    let most = 0
    const task = async (n: number) => {
      const release = await queue.enter()
      started.push(n)
      running++
      most = Math.max(most, running)
      await sleep(5)
      running--
      release()
    }
    await Promise.all([1, 2, 3, 4, 5, 6].map(task))
    expect(most).toBe(2)
    expect(started).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('starts a task from the event loop, after the callbacks already waiting there, not within the ack', async () => {
    const queue = createAfterAckQueue()
    const order: string[] = []
    // Already waiting in the event loop when the ack enters the queue (as the next request's data would be).
    setImmediate(() => order.push('waiting callback'))
    const entered = queue.enter().then((release) => {
      order.push('task')
      release()
    })
    await Promise.resolve()
    order.push('ack done')
    await entered
    expect(order).toEqual(['ack done', 'waiting callback', 'task'])
  })

  it('holds post-ack work while requests keep arriving, and starts it once they stop', async () => {
    const queue = createAfterAckQueue({ quietMs: 30, maxWaitMs: 10_000 })
    queue.requestArrived()
    let startedAt = 0
    const entered = queue.enter().then((release) => {
      startedAt = performance.now()
      release()
    })
    let lastArrival = 0
    for (let i = 0; i < 4; i++) {
      await sleep(10)
      queue.requestArrived()
      lastArrival = performance.now()
    }
    expect(startedAt).toBe(0)
    await entered
    expect(startedAt - lastArrival).toBeGreaterThanOrEqual(25)
  })

  it('starts post-ack work after maxWaitMs even if requests never stop arriving', async () => {
    const queue = createAfterAckQueue({ quietMs: 30, maxWaitMs: 80 })
    const arrivals = setInterval(() => queue.requestArrived(), 5)
    try {
      queue.requestArrived()
      const t0 = performance.now()
      const release = await queue.enter()
      const waited = performance.now() - t0
      release()
      expect(waited).toBeGreaterThanOrEqual(75)
      expect(waited).toBeLessThan(5_000)
    } finally {
      clearInterval(arrivals)
    }
  })

  it('never starts a task above `concurrency`, however long it has waited', async () => {
    const queue = createAfterAckQueue({ concurrency: 1, maxWaitMs: 20, maxHoldMs: 10_000 })
    const holder = await queue.enter()
    let started = false
    const entered = queue.enter().then((release) => {
      started = true
      return release
    })
    await sleep(80)
    expect(started).toBe(false)
    holder()
    ;(await entered)()
    expect(started).toBe(true)
  })

  it('holds post-ack work while a request is in flight, and starts it once its response is sent', async () => {
    const queue = createAfterAckQueue({ quietMs: 5, maxWaitMs: 10_000 })
    const done = queue.requestStarted()
    let started = false
    const entered = queue.enter().then((release) => {
      started = true
      release()
    })
    await sleep(40)
    expect(started).toBe(false)
    done()
    done() // ends it once only
    const t0 = performance.now()
    await entered
    expect(started).toBe(true)
    expect(performance.now() - t0).toBeLessThan(1_000)
  })

  it('starts post-ack work after maxWaitMs even while requests stay in flight', async () => {
    const queue = createAfterAckQueue({ quietMs: 5, maxWaitMs: 60 })
    queue.requestStarted()
    const t0 = performance.now()
    const release = await queue.enter()
    const waited = performance.now() - t0
    release()
    expect(waited).toBeGreaterThanOrEqual(55)
    expect(waited).toBeLessThan(5_000)
  })

  it('pauses a running task while requests come in, at most maxPauseMs', async () => {
    const queue = createAfterAckQueue({ quietMs: 5, maxWaitMs: 10_000, maxPauseMs: 60 })
    const release = await queue.enter()
    // Quiet: the pause only goes through the event loop.
    let t0 = performance.now()
    await queue.pause()
    expect(performance.now() - t0).toBeLessThan(50)
    // A request in flight: the pause lasts until its response is sent.
    const done = queue.requestStarted()
    let resumed = false
    const paused = queue.pause().then(() => {
      resumed = true
    })
    await sleep(20)
    expect(resumed).toBe(false)
    done()
    await paused
    expect(resumed).toBe(true)
    // A request that never ends: the pause gives up after maxPauseMs.
    queue.requestStarted()
    t0 = performance.now()
    await queue.pause()
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55)
    release()
  })

  it('takes the turn back from a task still busy after maxHoldMs', async () => {
    const queue = createAfterAckQueue({ concurrency: 1, maxWaitMs: 10_000, maxHoldMs: 60 })
    await queue.enter() // busy for ever
    const t0 = performance.now()
    const release = await queue.enter()
    const waited = performance.now() - t0
    release()
    expect(waited).toBeGreaterThanOrEqual(55)
    expect(waited).toBeLessThan(5_000)
  })

  it('frees one turn however often a task releases it', async () => {
    const queue = createAfterAckQueue({ concurrency: 1, maxWaitMs: 10_000, maxHoldMs: 10_000 })
    const first = await queue.enter()
    const second = queue.enter()
    const third = queue.enter()
    let thirdStarted = false
    void third.then(() => (thirdStarted = true))
    first()
    first()
    const releaseSecond = await second
    await sleep(20)
    expect(thirdStarted).toBe(false)
    releaseSecond()
    ;(await third)()
    expect(thirdStarted).toBe(true)
  })
})
