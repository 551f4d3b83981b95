import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium (no browser download): `apt-get install chromium`. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Whether end-to-end browser tests can run. Without Chromium they skip with a loud warning,
 * except with CI=true, where a missing browser is a failure (.ci/run installs it).
 */
export function requireChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true
  const message = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`
  if (process.env.CI === 'true') throw new Error(`${message}. CI=true requires it.`)
  console.warn(`\n⚠️  ${message}\n⚠️  SKIPPING the browser end-to-end tests.\n`)
  return false
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The machine has no network: keep Chromium from reaching for Google's services.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}
