import { type DestinationStream, type LevelWithSilent, type Logger as PinoLogger, pino } from 'pino'

export type Logger = PinoLogger

const CENSOR = '[REDACTED]'

/**
 * Keys whose values never reach a log line, at any depth, compared lower-case without `-` and `_`
 * (`access_token`, `accessToken` and `Access-Token` are one key). Any key ending in token, secret or
 * password is redacted too (`metaAccessToken`, `SLACK_BOT_TOKEN`); counts such as `promptTokens` are not.
 */
const REDACT_KEYS = new Set([
  'appsecretproof',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xslacksignature',
  'xhubsignature',
  'xhubsignature256',
  'xapikey',
  'encryptionkey',
  'encryptionkeys',
  'encryptionkeysold',
  'oldencryptionkeys',
  'apikey',
  'privatekey',
  'credentials',
])
const REDACT_SUFFIXES = ['token', 'secret', 'password', 'passwd']

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_]/g, '')

function isSecretKey(key: string): boolean {
  const k = normalizeKey(key)
  return REDACT_KEYS.has(k) || REDACT_SUFFIXES.some((suffix) => k.endsWith(suffix))
}

const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g, // Slack tokens
  /xapp-[A-Za-z0-9-]+/g, // Slack app-level tokens
  /EAA[A-Za-z0-9]{20,}/g, // Meta access tokens
  /(access_token|appsecret_proof|client_secret)=[^&\s"]+/g,
  /sk-[A-Za-z0-9_-]{16,}/g, // OpenAI-style keys
  /\b([Bb]earer)\s+[A-Za-z0-9._~+/=|-]{8,}/g, // Authorization header values
]
/** Cheap pre-check: a string none of the patterns can match is returned as is. */
const MAYBE_SECRET = /xox|xapp-|EAA|=|sk-|earer/

/** Removes secrets from free text (error messages, URLs) before it is logged or shown. */
export function redactText(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text
  let out = text
  for (const re of SECRET_PATTERNS) {
    out = out.replace(re, (m, scheme: unknown) => {
      if (typeof scheme === 'string' && /^bearer$/i.test(scheme)) return `${scheme} ${CENSOR}`
      const eq = m.indexOf('=')
      return eq > 0 && !m.startsWith('xox') ? `${m.slice(0, eq + 1)}${CENSOR}` : CENSOR
    })
  }
  return out
}

/** Objects nested deeper than this are cut (never shown unredacted). */
const MAX_DEPTH = 32

/**
 * A copy of a log object with secrets removed at any depth: values under secret keys (REDACT_KEYS),
 * secrets inside strings (redactText), the value after a secret header name in a raw header list
 * (`['Authorization', 'Bearer …']`), errors serialized (pino's shape: type, message, stack, cause and
 * their own properties) and then redacted like the rest. Cycles become "[Circular]"; what is deeper
 * than MAX_DEPTH becomes "[Too deep]". The input is never modified.
 */
function redactDeep(value: unknown, depth = 0, ancestors: object[] = []): unknown {
  if (typeof value === 'string') return redactText(value)
  if (value === null || typeof value !== 'object') return value
  if (ancestors.includes(value)) return '[Circular]'
  if (depth >= MAX_DEPTH) return '[Too deep]'
  if (ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set || value instanceof Date) return value
  ancestors.push(value)
  try {
    if (Array.isArray(value)) {
      const out: unknown[] = []
      for (let i = 0; i < value.length; i++) {
        const prev = value[i - 1]
        out.push(
          typeof prev === 'string' && isSecretKey(prev) && value[i] !== undefined ? CENSOR : redactDeep(value[i], depth + 1, ancestors),
        )
      }
      return out
    }
    if (value instanceof Error) return redactDeep({ ...pino.stdSerializers.err(value) }, depth, ancestors.slice(0, -1))
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') return redactDeep(toJSON.call(value), depth + 1, ancestors)
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key]
      out[key] = v !== undefined && v !== null && v !== '' && isSecretKey(key) ? CENSOR : redactDeep(v, depth + 1, ancestors)
    }
    return out
  } finally {
    ancestors.pop()
  }
}

export function createLogger(options: { level?: LevelWithSilent; name?: string; destination?: DestinationStream } = {}): Logger {
  const settings: pino.LoggerOptions = {
    name: options.name ?? 'promoly',
    level: options.level ?? 'info',
    // pino's `redact` paths have a fixed depth; every logged object and child binding is walked instead.
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactDeep(object) as Record<string, unknown>,
      bindings: (bindings) => redactDeep(bindings) as pino.Bindings,
    },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as typeof args
        method.apply(this, redacted)
      },
    },
    // Errors are already serialized and redacted by the `log` formatter (it runs before serializers).
    serializers: { err: (err: unknown) => err },
  }
  const logger = options.destination ? pino(settings, options.destination) : pino(settings)
  // pino applies the `bindings` formatter to the root's bindings only: children (which inherit this
  // method from the root) get theirs redacted here.
  const child = logger.child
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redactDeep(bindings) as pino.Bindings, childOptions)
  } as Logger['child']
  return logger
}

/** A logger that writes nothing: for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
