#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a checkout, the compiled dist/ where there are no sources (the Docker image).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
try {
  process.loadEnvFile?.(`${root}.env`)
} catch {
  // no .env: configuration comes from the environment
}
const source = `${root}src/cli.ts`
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(source).href)
} else {
  await import(pathToFileURL(`${root}dist/cli.js`).href)
}
