/**
 * `promoly meta-sim`: runs the simulator standalone until SIGINT/SIGTERM.
 *
 *   promoly meta-sim [--port 8787] [--host 127.0.0.1] [--seed 42] [--token EAAsimulatorAccessToken0001]...
 *                    [--app-secret S] [--page-size 25] [--latency 0] [--campaigns N]
 *                    [--tier standard_access|development_access] [--enforce-rate-limits] [--control-token T]
 *                    [--preset scale] [--sync-insights-limit 20000]
 */
import { DEFAULT_SIM_ACCOUNTS, SCALE_SIM_ACCOUNT } from './catalog.ts'
import { startMetaSimulator } from './server.ts'
import type { AccessTier, MetaSimulator, MetaSimulatorOptions, SimLogger } from './types.ts'

const META_SIM_USAGE = `Usage: promoly meta-sim [options]
  --port <n>              port to listen on (default 8787, 0 = random)
  --host <addr>           address to bind (default 127.0.0.1)
  --seed <n>              data seed (default 42)
  --token <t>             accepted access token (repeatable; default EAAsimulatorAccessToken0001)
  --app-secret <s>        require appsecret_proof computed with this secret
  --page-size <n>         rows per page without ?limit= (default 25)
  --latency <ms>          delay added to every response
  --campaigns <n>         campaigns per built-in account (default: built-in counts)
  --preset scale          one account of 200 campaigns × 5 ad sets × 4 ads instead of the built-in accounts
  --sync-insights-limit <n>  objects × days above which synchronous insights time out (default 20000)
  --tier <tier>           standard_access (default) or development_access usage limits
  --enforce-rate-limits   answer real throttle errors once usage passes 100%
  --control-token <t>     token the /__sim/ control API requires (Authorization: Bearer <t>); default: random, printed`

function intArg(name: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${name} needs a non-negative integer`)
  return Number(value)
}

/** Parses CLI flags into simulator options. Throws with a readable message on bad input. */
export function parseMetaSimArgs(argv: readonly string[]): MetaSimulatorOptions {
  const opts: MetaSimulatorOptions = { port: 8787 }
  const tokens: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = (): string | undefined => inline ?? argv[++i]
    switch (flag) {
      case '--port':
        opts.port = intArg('--port', value())
        break
      case '--host': {
        const v = value()
        if (!v) throw new Error('--host needs an address')
        opts.host = v
        break
      }
      case '--seed':
        opts.seed = intArg('--seed', value())
        break
      case '--token': {
        const v = value()
        if (!v) throw new Error('--token needs a value')
        tokens.push(v)
        break
      }
      case '--app-secret': {
        const v = value()
        if (!v) throw new Error('--app-secret needs a value')
        opts.appSecret = v
        break
      }
      case '--page-size':
        opts.pageSize = intArg('--page-size', value())
        break
      case '--latency':
        opts.latencyMs = intArg('--latency', value())
        break
      case '--campaigns': {
        const n = intArg('--campaigns', value())
        opts.accounts = DEFAULT_SIM_ACCOUNTS.map((a) => ({ ...a, campaigns: n }))
        break
      }
      case '--preset': {
        const v = value()
        if (v !== 'scale') throw new Error('--preset must be scale')
        opts.accounts = [{ ...SCALE_SIM_ACCOUNT }]
        break
      }
      case '--sync-insights-limit':
        opts.syncInsightsLimit = intArg('--sync-insights-limit', value())
        break
      case '--tier': {
        const v = value()
        if (v !== 'standard_access' && v !== 'development_access') throw new Error('--tier must be standard_access or development_access')
        opts.accessTier = v as AccessTier
        break
      }
      case '--enforce-rate-limits':
        opts.enforceRateLimits = true
        break
      case '--control-token': {
        const v = value()
        if (!v || v.length < 16) throw new Error('--control-token needs a value of at least 16 characters')
        opts.controlToken = v
        break
      }
      default:
        throw new Error(`Unknown option ${arg}\n${META_SIM_USAGE}`)
    }
  }
  if (tokens.length > 0) opts.accessTokens = tokens
  return opts
}

/**
 * Starts the simulator from CLI arguments, prints where it listens, and (unless
 * `handleSignals: false`) closes it and exits on SIGINT/SIGTERM. Resolves with the running simulator.
 */
export async function runMetaSimCli(
  argv: readonly string[],
  io: { out: (line: string) => void; logger?: SimLogger; handleSignals?: boolean } = { out: (line) => process.stdout.write(`${line}\n`) },
): Promise<MetaSimulator> {
  const opts = parseMetaSimArgs(argv)
  if (io.logger) opts.logger = io.logger
  const sim = await startMetaSimulator(opts)
  io.out(`Meta Graph API simulator listening on ${sim.url} (any /vNN.0/ prefix works)`)
  io.out(`Access token: ${sim.accessToken}${opts.appSecret ? ' (appsecret_proof required)' : ''}`)
  for (const a of sim.state.accounts())
    io.out(
      `  act_${a.id}  ${a.currency}  ${a.timezoneName}  ${a.campaignIds.length} campaigns, ${sim.state.ads(a.id).length} ads  ${a.name}`,
    )
  io.out(`Control API: ${sim.url}/__sim/stats, ${sim.url}/__sim/faults (Authorization: Bearer ${sim.controlToken ?? ''})`)
  if (io.handleSignals ?? true) {
    const stop = (): void => {
      void sim.close().then(() => process.exit(0))
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  }
  return sim
}
