import type { Config } from '../config/env.ts'

/**
 * "This machine": localhost (and *.localhost), 127.0.0.0/8, ::1, or a Unix socket (no host, or a host
 * that is a path). Anything else — another machine on the network, a managed database — is real.
 */
function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return h === '' || h.startsWith('/') || h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

/**
 * The host a connection URL reaches (PostgreSQL's ?host= wins over the authority, as libpq does). A URL the
 * WHATWG parser refuses (libpq's multi-host `postgresql://a,b/db`, a typo) gets a readable label instead of
 * a TypeError, never the URL itself (it may hold a password); it is not local: the playground does not guess.
 */
const MULTI_HOST = 'several hosts, or a URL that could not be read'

function hostOf(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return MULTI_HOST
  }
  const host = parsed.searchParams.get('host') ?? parsed.hostname
  return host.includes(',') ? MULTI_HOST : host
}

const OVERRIDE = 'set PLAYGROUND_ALLOW_REAL_SERVICES=1 to run the playground on it anyway'

/**
 * Why the playground must not start on this configuration: one line per variable that points at a real
 * service (never the value itself, which may hold a password). Empty when everything is local, or when
 * PLAYGROUND_ALLOW_REAL_SERVICES=1 says to go ahead.
 */
export function realServiceProblems(config: Config): string[] {
  if (config.playgroundAllowRealServices) return []
  const problems: string[] = []
  for (const [name, url] of [
    ['DATABASE_URL', config.databaseUrl],
    ['REDIS_URL', config.redisUrl],
  ] as const) {
    if (url === undefined) continue
    const host = hostOf(url)
    if (!isLocalHost(host)) {
      problems.push(
        `${name}: points at ${host}, not this machine. The playground is a local sandbox (simulated Slack and Meta); unset ${name} to use the embedded default, or ${OVERRIDE}.`,
      )
    }
  }
  if (config.meta.accessToken) {
    problems.push(
      `META_ACCESS_TOKEN: is a real Meta token, and the playground runs on the built-in Meta simulator. Unset it, or ${OVERRIDE}.`,
    )
  }
  return problems
}
