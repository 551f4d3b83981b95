/** `npm run bench [sync|ack|optimizer|detection|agent|digests]` (optimizer includes detection): prints the figures; never part of `npm test`. */
import { benchAckLatency } from './ack-latency.ts'
import { benchAgent } from './agent.ts'
import { benchDetection } from './detection.ts'
import { benchDigestBuild } from './digests.ts'
import { benchOptimizer } from './optimizer.ts'
import { benchSyncScale } from './sync-scale.ts'

const only = process.argv[2]
if (!only || only === 'sync') await benchSyncScale()
if (!only || only === 'ack') await benchAckLatency()
if (!only || only === 'optimizer') await benchOptimizer()
if (!only || only === 'optimizer' || only === 'detection') await benchDetection()
if (!only || only === 'agent') await benchAgent()
if (!only || only === 'digests') await benchDigestBuild()
process.exit(0)
