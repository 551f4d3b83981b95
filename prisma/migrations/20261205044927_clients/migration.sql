-- AlterTable
-- generated: ALTER TABLE "AdAccount" ADD COLUMN     "clientId" TEXT NOT NULL;

-- CreateTable
CREATE TABLE "Client" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "suggestionsChannelId" TEXT,
    "alertsChannelId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClientChannel" (
    "workspaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "boundBySlackUserId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClientChannel_pkey" PRIMARY KEY ("workspaceId","channelId")
);

-- CreateTable
CREATE TABLE "PeriodReach" (
    "id" TEXT NOT NULL,
    "adAccountId" TEXT NOT NULL,
    "campaignId" TEXT,
    "since" DATE NOT NULL,
    "until" DATE NOT NULL,
    "reach" BIGINT NOT NULL,
    "impressions" BIGINT NOT NULL,
    "frequency" DOUBLE PRECISION NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PeriodReach_pkey" PRIMARY KEY ("id")
);

-- hand-written: begin
-- Every workspace gets its default client, which takes the workspace's suggestions channel and every existing ad
-- account, and then AdAccount.clientId can be NOT NULL. (Prisma's diff would add the column NOT NULL at once, which
-- fails on a database that has ad accounts: the generated line is kept below as a comment.)
INSERT INTO "Client" ("id", "workspaceId", "name", "isDefault", "suggestionsChannelId", "updatedAt")
SELECT 'cl_' || md5(w."id"), w."id", CASE WHEN btrim(w."name") = '' THEN 'Our accounts' ELSE left(btrim(w."name"), 80) END, true,
       w."suggestionsChannelId", CURRENT_TIMESTAMP
FROM "Workspace" w;

ALTER TABLE "AdAccount" ADD COLUMN "clientId" TEXT;
UPDATE "AdAccount" a SET "clientId" = c."id" FROM "Client" c WHERE c."workspaceId" = a."workspaceId" AND c."isDefault";
ALTER TABLE "AdAccount" ALTER COLUMN "clientId" SET NOT NULL;

-- The old suggestions channel is the default client's channel now: bound to it, so no other client can take it
-- while the default client's suggestions still go there.
INSERT INTO "ClientChannel" ("workspaceId", "channelId", "clientId")
SELECT c."workspaceId", c."suggestionsChannelId", c."id" FROM "Client" c WHERE c."suggestionsChannelId" IS NOT NULL;

-- At most one default client per workspace (Prisma's schema has no partial unique index).
CREATE UNIQUE INDEX "Client_one_default_per_workspace" ON "Client"("workspaceId") WHERE "isDefault";
-- hand-written: end

-- CreateIndex
CREATE INDEX "Client_workspaceId_isDefault_idx" ON "Client"("workspaceId", "isDefault");

-- CreateIndex
CREATE UNIQUE INDEX "Client_workspaceId_name_key" ON "Client"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "ClientChannel_clientId_idx" ON "ClientChannel"("clientId");

-- CreateIndex
CREATE INDEX "PeriodReach_adAccountId_since_until_idx" ON "PeriodReach"("adAccountId", "since", "until");

-- CreateIndex
CREATE INDEX "AdAccount_clientId_idx" ON "AdAccount"("clientId");

-- AddForeignKey
ALTER TABLE "Client" ADD CONSTRAINT "Client_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientChannel" ADD CONSTRAINT "ClientChannel_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdAccount" ADD CONSTRAINT "AdAccount_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodReach" ADD CONSTRAINT "PeriodReach_adAccountId_fkey" FOREIGN KEY ("adAccountId") REFERENCES "AdAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodReach" ADD CONSTRAINT "PeriodReach_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;
