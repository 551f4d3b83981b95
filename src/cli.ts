import { type Config, ConfigError, loadConfig } from './config/env.ts'
import { migrateDatabase, openDatabase } from './db/database.ts'
import { runMetaSimCli } from './integrations/meta-sim/index.ts'
import { DataDirInUseError } from './lib/data-dir-lock.ts'
import { createLogger } from './lib/logger.ts'
import { type Roles, startPromoly } from './main.ts'
import { type Playground, startPlayground } from './playground/start-playground.ts'
import { rotateKey } from './secret-keys.ts'

const USAGE = `Usage: promoly <command>

  all        web + worker + scheduler in one process (what npm start runs)
  web        Slack app (HTTP or Socket Mode), /healthz, /readyz
  worker     job workers and the scheduler
  playground Promoly in a local Slack in your browser (what \`all\` does when no Slack is configured)
  migrate    apply database migrations and exit
  rotate-key re-encrypt every stored secret with the current key (see SECURITY.md: rotating the key)
             --forget-unreadable: remove the stored secrets no configured key can read (their Meta
             connections need reconnecting, their Slack installations installing again)
  meta-sim   run the Meta Graph API simulator (promoly meta-sim --help for its options)
`

function metaLine(config: Config): string {
  if (config.meta.useSimulator) return 'the built-in simulator (set META_ACCESS_TOKEN for your real ad accounts).'
  if (config.meta.accessToken) return 'Graph API with META_ACCESS_TOKEN.'
  return 'no deployment token: Slack admins connect their accounts with /promoly connect (or set META_ACCESS_TOKEN; META_SIMULATOR=1 for the built-in simulator).'
}

function nextSteps(config: Config, url: string | undefined): string {
  const lines = [`Promoly is running${url ? ` at ${url}` : ''} (health: ${url ?? ''}/healthz).`]
  lines.push(
    config.databaseUrl ? '  Database: PostgreSQL (DATABASE_URL).' : `  Database: embedded PostgreSQL (PGlite) in ${config.dataDir}.`,
  )
  lines.push(config.redisUrl ? '  Jobs: BullMQ on Redis (REDIS_URL).' : '  Jobs: in-process (set REDIS_URL to scale out).')
  lines.push(`  Meta: ${metaLine(config)}`)
  if (config.slack.kind === 'none') {
    lines.push(
      '',
      'Next: connect Slack.',
      '  1. Create a Slack app from manifest.json (api.slack.com/apps → Create New App → From a manifest),',
      '     replacing promoly.example.com with your public URL.',
      '  2. Install it to your workspace, then set SLACK_BOT_TOKEN (xoxb-…) and SLACK_SIGNING_SECRET',
      '     (or SLACK_APP_TOKEN for Socket Mode) in .env or the environment, and restart.',
      '  3. In Slack: /promoly help',
    )
  } else {
    lines.push(
      `  Slack: ${config.slack.kind === 'oauth' ? `OAuth (install at ${url ?? ''}/slack/install)` : 'single workspace'}, ${config.slack.appToken ? 'Socket Mode' : 'HTTP at /slack/events'}.`,
    )
  }
  return lines.join('\n')
}

function playgroundBanner(config: Config, playground: Playground): string {
  const promolyUrl = playground.promoly.url
  return [
    `Promoly playground: open ${playground.url} in your browser (this machine only).`,
    '  A local Slack workspace where Promoly runs as it would in Slack — try /promoly campaigns in the Promoly DM.',
    `  Promoly itself listens at ${promolyUrl ?? ''} (/slack/events, /healthz).`,
    config.databaseUrl ? '  Database: PostgreSQL (DATABASE_URL).' : `  Database: embedded PostgreSQL (PGlite) in ${config.dataDir}.`,
    playground.promoly.simulator ? '  Meta: the built-in simulator, already synced.' : `  Meta: ${metaLine(playground.promoly.config)}`,
    '',
    'To use a real Slack workspace instead: create an app from manifest.json, set SLACK_BOT_TOKEN and',
    'SLACK_SIGNING_SECRET (see README), and run npm start again.',
  ].join('\n')
}

async function run(command: string | undefined): Promise<void> {
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE)
    return
  }
  if (command === 'meta-sim') {
    await runMetaSimCli(process.argv.slice(3))
    return
  }
  const roles: Record<string, Roles> = {
    all: { web: true, worker: true },
    web: { web: true, worker: false },
    worker: { web: false, worker: true },
  }
  const config = loadConfig()
  const logger = createLogger({ level: config.logLevel })
  if (command === 'migrate') {
    const { applied } = await migrateDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
      logger,
    })
    logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date')
    return
  }
  if (command === 'rotate-key') {
    const flags = process.argv.slice(3)
    const unknown = flags.filter((f) => f !== '--forget-unreadable')
    if (unknown.length > 0) {
      process.stderr.write(`Unknown option ${unknown.join(' ')} for rotate-key.\n\n${USAGE}`)
      process.exitCode = 2
      return
    }
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, logger })
    try {
      const report = await rotateKey(config, db.prisma, { forgetUnreadable: flags.includes('--forget-unreadable') })
      const counts = Object.entries(report.reencrypted).map(([what, n]) => `${n} ${what}${n === 1 ? '' : 's'}`)
      const lines = [
        ...(report.forgotten.length > 0
          ? [
              `Removed ${report.forgotten.length} unreadable secret${report.forgotten.length === 1 ? '' : 's'} (audited):`,
              ...report.forgotten.map((row) => `  - ${row}`),
              '  Meta connections among them need reconnecting (/promoly connect); Slack installations, installing Promoly again.',
            ]
          : []),
        `Re-encrypted ${counts.join(' and ')} with key ${report.keyId} (${report.alreadyCurrent} already were).`,
        report.keyFile
          ? `  ${report.keyFile} now holds the new key: back it up, and discard old copies.`
          : '  Every secret now reads with ENCRYPTION_KEY alone: remove ENCRYPTION_KEYS_OLD and restart.',
        ...(report.strayV1 > 0
          ? [
              `  Left ${report.strayV1} value${report.strayV1 === 1 ? '' : 's'} in the retired v1 format unread (restored from an old backup or copied from another row): connect those Meta accounts or install Promoly again.`,
            ]
          : []),
      ]
      process.stdout.write(`${lines.join('\n')}\n`)
    } finally {
      await db.close()
    }
    return
  }
  const r = roles[command] ?? (command === 'playground' ? roles.all : undefined)
  if (!r) {
    process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  if (command === 'playground' || (command === 'all' && config.slack.kind === 'none')) {
    const playground = await startPlayground({ env: process.env, logger })
    process.stdout.write(`\n${playgroundBanner(config, playground)}\n\n`)
    onSignal(() => playground.stop())
    return
  }
  const promoly = await startPromoly(config, { roles: r, logger })
  if (r.web) process.stdout.write(`\n${nextSteps(config, promoly.url)}\n\n`)
  onSignal(() => promoly.stop())
}

function onSignal(stop: () => Promise<void>) {
  let stopping = false
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) process.exit(1)
      stopping = true
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    })
  }
}

// Nothing a user can cause may crash the process; log what slipped through instead.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`Unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}\n`)
})

/** A port another program holds: say which, and how to choose others, instead of a stack trace. */
function portInUse(err: unknown): number | undefined {
  const e = err as { code?: unknown; port?: unknown }
  return e?.code === 'EADDRINUSE' && typeof e.port === 'number' ? e.port : undefined
}

run(process.argv[2]).catch((err) => {
  const port = portInUse(err)
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`)
  else if (err instanceof DataDirInUseError) process.stderr.write(`${err.message}\n`)
  else if (port !== undefined)
    process.stderr.write(
      `Port ${port} is already in use by another program. Stop it, or choose free ports: PORT (Promoly, default 3000) and PLAYGROUND_PORT (the playground, default PORT + 1).\n`,
    )
  else process.stderr.write(`promoly ${process.argv[2] ?? ''} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
