import { chmodSync, existsSync, mkdirSync } from 'node:fs'

/**
 * Creates a folder readable by its owner only (0700), with any missing parents (also 0700). An existing
 * folder keeps its mode unless `tighten` is set (for folders only Promoly uses, like the PGlite files).
 */
export function ensurePrivateDir(dir: string, options: { tighten?: boolean } = {}): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    chmodSync(dir, 0o700)
  } else if (options.tighten) {
    chmodSync(dir, 0o700)
  }
}
