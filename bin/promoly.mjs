#!/usr/bin/env node
// Runs the compiled CLI when it exists (Docker image), the TypeScript sources through tsx otherwise.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
try {
  process.loadEnvFile?.(`${root}.env`)
} catch {
  // no .env: configuration comes from the environment
}
const compiled = `${root}dist/cli.js`
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(`${root}src/cli.ts`).href)
}
