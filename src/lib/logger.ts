import { type DestinationStream, type LevelWithSilent, type Logger as PinoLogger, pino } from 'pino'

export type Logger = PinoLogger

/** Keys whose values never reach a log line, wherever they sit in the object. */
const REDACT_KEYS = [
  'token',
  'accessToken',
  'access_token',
  'botToken',
  'bot_token',
  'userToken',
  'appToken',
  'appsecret_proof',
  'appSecret',
  'app_secret',
  'client_secret',
  'clientSecret',
  'signingSecret',
  'stateSecret',
  'password',
  'authorization',
  'Authorization',
  'encryptionKey',
  'apiKey',
  'api_key',
  'secret',
]

const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g, // Slack tokens
  /xapp-[A-Za-z0-9-]+/g, // Slack app-level tokens
  /EAA[A-Za-z0-9]{20,}/g, // Meta access tokens
  /(access_token|appsecret_proof|client_secret)=[^&\s"]+/g,
  /sk-[A-Za-z0-9_-]{16,}/g, // OpenAI-style keys
]

/** Removes secrets from free text (error messages, URLs) before it is logged or shown. */
export function redactText(text: string): string {
  let out = text
  for (const re of SECRET_PATTERNS) {
    out = out.replace(re, (m) => {
      const eq = m.indexOf('=')
      return eq > 0 && !m.startsWith('xox') ? `${m.slice(0, eq + 1)}[REDACTED]` : '[REDACTED]'
    })
  }
  return out
}

export function createLogger(options: { level?: LevelWithSilent; name?: string; destination?: DestinationStream } = {}): Logger {
  const paths = REDACT_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`])
  const settings: pino.LoggerOptions = {
    name: options.name ?? 'promoly',
    level: options.level ?? 'info',
    redact: { paths, censor: '[REDACTED]' },
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as typeof args
        method.apply(this, redacted)
      },
    },
    serializers: {
      err: (err: unknown) => {
        const s = pino.stdSerializers.err(err as Error)
        if (s && typeof s.message === 'string') s.message = redactText(s.message)
        if (s && typeof s.stack === 'string') s.stack = redactText(s.stack)
        return s
      },
    },
  }
  return options.destination ? pino(settings, options.destination) : pino(settings)
}

/** A logger that writes nothing: for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
