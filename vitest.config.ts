import { configDefaults, defineConfig } from 'vitest/config'

const TESTS = ['src/**/*.test.ts', 'test/**/*.test.ts']
const INTEGRATION = ['src/**/*.int.test.ts', 'test/**/*.int.test.ts']

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // `npm test` runs both; `npm run test:unit` / `npm run test:int` (vitest run --project …) one of them.
    projects: [
      // `*.test.ts`: nothing outside this process is needed (some start in-process servers on 127.0.0.1).
      { extends: true, test: { name: 'unit', include: TESTS, exclude: [...configDefaults.exclude, ...INTEGRATION] } },
      // `*.int.test.ts`: databases (PGlite or PostgreSQL), Redis, Chromium, or Promoly as a whole.
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
    ],
  },
})
