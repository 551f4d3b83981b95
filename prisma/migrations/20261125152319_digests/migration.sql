-- CreateTable
CREATE TABLE "DigestSubscription" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "localTime" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "adAccountIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdBySlackUserId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "pausedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DigestSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DigestRun" (
    "id" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "localDate" DATE NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'CLAIMED',
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "messageTs" TEXT,
    "error" TEXT,

    CONSTRAINT "DigestRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DigestSubscription_workspaceId_status_idx" ON "DigestSubscription"("workspaceId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "DigestRun_subscriptionId_localDate_key" ON "DigestRun"("subscriptionId", "localDate");

-- AddForeignKey
ALTER TABLE "DigestRun" ADD CONSTRAINT "DigestRun_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "DigestSubscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;
