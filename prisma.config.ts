import { defineConfig } from 'prisma/config'

// Prisma 7 reads the datasource URL from here (never from schema.prisma). Migrations are applied by
// `npm run db:migrate` (src/db/migrate.ts, Prisma's Wasm schema engine), not by `prisma migrate`.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
})
