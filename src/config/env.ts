import * as z from 'zod'

/**
 * The runtime contract (ARCHITECTURE.md §2): every variable Promoly reads, parsed once at start-up.
 * Nothing else in the code base reads process.env. `.env.example` documents the same names.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))

const urlString = (what: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { message: `must be an http(s) URL (${what})` })

/** An on/off switch: 1/true or 0/false (unset: undefined, so the caller's default applies). */
const flag = z
  .enum(['1', '0', 'true', 'false'], { message: 'must be 1 or 0' })
  .optional()
  .transform((v) => (v === undefined ? undefined : v === '1' || v === 'true'))

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xoxb-'), { message: 'must start with xoxb-' }),
    SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), { message: 'must start with xapp-' }),
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: optionalString,
    SLACK_API_URL: urlString('Slack Web API base').default('https://slack.com/api/'),
    META_GRAPH_URL: urlString('Graph API base').default('https://graph.facebook.com'),
    META_API_VERSION: z
      .string()
      .regex(/^v\d+\.0$/, { message: 'must look like v26.0' })
      .default('v26.0'),
    META_ACCESS_TOKEN: optionalString,
    META_APP_SECRET: optionalString,
    /**
     * 1: run the built-in Meta simulator in-process instead of Meta. Unset: only when nothing real is
     * configured (no Slack app, no META_ACCESS_TOKEN), i.e. the playground; never beside a real Slack app.
     */
    META_SIMULATOR: flag,
    /** Token the embedded simulator's /__sim/ control API requires; unset: its control API is off. */
    META_SIMULATOR_CONTROL_TOKEN: optionalString,
    META_AD_ACCOUNT_IDS: optionalString.transform((v) =>
      v === undefined
        ? undefined
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .map((s) => (s.startsWith('act_') ? s : `act_${s}`)),
    ),
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: urlString('OpenAI-compatible base'),
    OPENAI_MODEL: z.string().default('gpt-4o-mini'),
    /** Longest answer of one model call (max_tokens); each call of a turn reserves this much of the daily budgets. */
    OPENAI_MAX_TOKENS: z.coerce.number().int().min(256).max(32_000).default(2_000),
    DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgresql:// URL',
    }),
    REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\//.test(v), { message: 'must be a redis:// URL' }),
    ENCRYPTION_KEY: optionalString,
    /** Comma-separated previous keys, for decrypting only (while `promoly rotate-key` moves values to ENCRYPTION_KEY). */
    ENCRYPTION_KEYS_OLD: optionalString.transform((v) =>
      v === undefined
        ? []
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    ),
    PROMOLY_DATA_DIR: z.string().default('./.promoly'),
    LOG_LEVEL: z.enum(logLevels).default('info'),
    /** Port of the local Slack playground (no Slack credentials); PORT + 1 when unset. */
    PLAYGROUND_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** 1: let the playground run on a non-local DATABASE_URL / REDIS_URL or a real META_ACCESS_TOKEN. */
    PLAYGROUND_ALLOW_REAL_SERVICES: flag,
    /** Hours between scheduled syncs of every ad account. */
    SYNC_INTERVAL_HOURS: z.coerce.number().min(0.05).max(168).default(4),
    /** How long a sync waits for one of Meta's async Insights reports before leaving its days for the next sync. */
    META_REPORT_DEADLINE_SECONDS: z.coerce.number().int().min(10).max(3600).default(900),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_KEY'], message: 'is required when DATABASE_URL is set (32 random bytes, base64)' })
    }
    const validKey = (key: string) => {
      const bytes = Buffer.from(key, 'base64')
      return bytes.length === 32 && bytes.toString('base64').replace(/=+$/, '') === key.replace(/=+$/, '')
    }
    if (env.ENCRYPTION_KEY && !validKey(env.ENCRYPTION_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY'],
        message: 'must be exactly 32 bytes, base64-encoded (openssl rand -base64 32)',
      })
    }
    if (!env.ENCRYPTION_KEYS_OLD.every(validKey)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEYS_OLD'],
        message: 'must be comma-separated keys, each exactly 32 bytes, base64-encoded',
      })
    }
    const oauth = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET]
    if (oauth.some(Boolean) && !oauth.every(Boolean)) {
      for (const [name, v] of [
        ['SLACK_CLIENT_ID', env.SLACK_CLIENT_ID],
        ['SLACK_CLIENT_SECRET', env.SLACK_CLIENT_SECRET],
        ['SLACK_STATE_SECRET', env.SLACK_STATE_SECRET],
      ] as const) {
        if (!v)
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'is required for OAuth (set all of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET)',
          })
      }
    }
    if (oauth.every(Boolean) && env.SLACK_BOT_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: 'cannot be combined with OAuth (SLACK_CLIENT_ID…): choose single- or multi-workspace',
      })
    }
    const slackConfigured = Boolean(env.SLACK_BOT_TOKEN || env.SLACK_CLIENT_ID)
    if (slackConfigured && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      })
    }
    if (env.SLACK_APP_TOKEN && !slackConfigured) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: 'is required with SLACK_APP_TOKEN (Socket Mode needs a bot token or OAuth)',
      })
    }
    if (env.META_SIMULATOR === true && env.META_ACCESS_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['META_SIMULATOR'],
        message: 'cannot be combined with META_ACCESS_TOKEN: choose Meta (the token) or the built-in simulator (META_SIMULATOR=1)',
      })
    }
    if (env.META_SIMULATOR_CONTROL_TOKEN && env.META_SIMULATOR_CONTROL_TOKEN.length < 16) {
      ctx.addIssue({ code: 'custom', path: ['META_SIMULATOR_CONTROL_TOKEN'], message: 'must be at least 16 characters' })
    }
    if (env.META_AD_ACCOUNT_IDS && !env.META_ACCESS_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['META_ACCESS_TOKEN'], message: 'is required when META_AD_ACCOUNT_IDS is set' })
    }
  })

export type Env = z.infer<typeof envSchema>

export type SlackMode =
  | { kind: 'none' }
  | { kind: 'single'; botToken: string; signingSecret?: string; appToken?: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string; signingSecret?: string; appToken?: string }

export interface Config {
  readonly env: Env
  readonly port: number
  readonly slack: SlackMode & { apiUrl: string }
  readonly meta: {
    graphUrl: string
    apiVersion: string
    accessToken?: string
    appSecret?: string
    adAccountIds?: string[]
    /**
     * Promoly runs the Meta simulator in-process: META_SIMULATOR=1, or nothing real configured (no Slack
     * app, no META_ACCESS_TOKEN). With a Slack app and no token, workspaces connect Meta with /promoly connect.
     */
    useSimulator: boolean
    /** The embedded simulator's control API token (META_SIMULATOR_CONTROL_TOKEN); its control API is off without one. */
    simulatorControlToken?: string
    /** META_REPORT_DEADLINE_SECONDS in ms: how long a sync waits for one async Insights report. */
    reportDeadlineMs: number
  }
  readonly openai: { apiKey?: string; baseUrl?: string; model: string; maxTokens: number }
  readonly databaseUrl?: string
  readonly redisUrl?: string
  readonly encryptionKey?: string
  /** ENCRYPTION_KEYS_OLD: keys that only decrypt (a rotation in progress). */
  readonly oldEncryptionKeys: readonly string[]
  readonly dataDir: string
  readonly logLevel: Env['LOG_LEVEL']
  readonly syncIntervalHours: number
  readonly playgroundPort: number
  /** PLAYGROUND_ALLOW_REAL_SERVICES=1: the playground may run on non-local services (see playground/local-only.ts). */
  readonly playgroundAllowRealServices: boolean
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Parses the environment once. Throws ConfigError naming each bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // An empty value (PORT= in a .env file) means "not set", so defaults apply.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''))
  const parsed = envSchema.safeParse(cleaned)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? '(env)')}: ${i.message}`))
  }
  const env = parsed.data
  const apiUrl = env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`
  let slack: SlackMode
  if (env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET) {
    slack = {
      kind: 'oauth',
      clientId: env.SLACK_CLIENT_ID,
      clientSecret: env.SLACK_CLIENT_SECRET,
      stateSecret: env.SLACK_STATE_SECRET,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
    }
  } else if (env.SLACK_BOT_TOKEN) {
    slack = { kind: 'single', botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, appToken: env.SLACK_APP_TOKEN }
  } else {
    slack = { kind: 'none' }
  }
  return Object.freeze({
    env,
    port: env.PORT,
    slack: { ...slack, apiUrl },
    meta: {
      graphUrl: env.META_GRAPH_URL.replace(/\/+$/, ''),
      apiVersion: env.META_API_VERSION,
      accessToken: env.META_ACCESS_TOKEN,
      appSecret: env.META_APP_SECRET,
      adAccountIds: env.META_AD_ACCOUNT_IDS,
      useSimulator: env.META_SIMULATOR ?? (slack.kind === 'none' && !env.META_ACCESS_TOKEN),
      simulatorControlToken: env.META_SIMULATOR_CONTROL_TOKEN,
      reportDeadlineMs: env.META_REPORT_DEADLINE_SECONDS * 1000,
    },
    openai: { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL, maxTokens: env.OPENAI_MAX_TOKENS },
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    encryptionKey: env.ENCRYPTION_KEY,
    oldEncryptionKeys: env.ENCRYPTION_KEYS_OLD,
    dataDir: env.PROMOLY_DATA_DIR,
    logLevel: env.LOG_LEVEL,
    syncIntervalHours: env.SYNC_INTERVAL_HOURS,
    playgroundPort: env.PLAYGROUND_PORT ?? (env.PORT === 0 ? 0 : env.PORT + 1),
    playgroundAllowRealServices: env.PLAYGROUND_ALLOW_REAL_SERVICES ?? false,
  })
}
