-- AlterTable
ALTER TABLE "AdAccount" ADD COLUMN     "adLevelSince" DATE,
ADD COLUMN     "syncGaps" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "seenAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AdSet" (
    "id" TEXT NOT NULL,
    "adAccountId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "metaAdSetId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "effectiveStatus" TEXT NOT NULL,
    "dailyBudget" BIGINT,
    "lifetimeBudget" BIGINT,
    "bidStrategy" TEXT,
    "bidAmount" BIGINT,
    "optimizationGoal" TEXT,
    "billingEvent" TEXT,
    "startTime" TIMESTAMP(3),
    "endTime" TIMESTAMP(3),
    "learningStage" TEXT,
    "metaCreatedAt" TIMESTAMP(3),
    "seenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ad" (
    "id" TEXT NOT NULL,
    "adAccountId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "adSetId" TEXT NOT NULL,
    "metaAdId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "effectiveStatus" TEXT NOT NULL,
    "creativeId" TEXT,
    "creativeName" TEXT,
    "thumbnailUrl" TEXT,
    "headline" TEXT,
    "primaryText" TEXT,
    "metaCreatedAt" TIMESTAMP(3),
    "seenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Ad_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdDailyMetric" (
    "adId" TEXT NOT NULL,
    "adSetId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "adAccountId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "impressions" BIGINT NOT NULL DEFAULT 0,
    "reach" BIGINT NOT NULL DEFAULT 0,
    "frequency" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "clicks" BIGINT NOT NULL DEFAULT 0,
    "linkClicks" BIGINT NOT NULL DEFAULT 0,
    "spend" BIGINT NOT NULL DEFAULT 0,
    "leads" BIGINT NOT NULL DEFAULT 0,
    "purchases" BIGINT NOT NULL DEFAULT 0,
    "purchaseValue" BIGINT NOT NULL DEFAULT 0,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdDailyMetric_pkey" PRIMARY KEY ("adId","date")
);

-- CreateTable
CREATE TABLE "AdDailyMetricStage" (
    "syncRunId" TEXT NOT NULL,
    "adAccountId" TEXT NOT NULL,
    "metaAdId" TEXT NOT NULL,
    "metaAdSetId" TEXT NOT NULL,
    "metaCampaignId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "impressions" BIGINT NOT NULL,
    "reach" BIGINT NOT NULL,
    "frequency" DOUBLE PRECISION NOT NULL,
    "clicks" BIGINT NOT NULL,
    "linkClicks" BIGINT NOT NULL,
    "spend" BIGINT NOT NULL,
    "leads" BIGINT NOT NULL,
    "purchases" BIGINT NOT NULL,
    "purchaseValue" BIGINT NOT NULL,

    CONSTRAINT "AdDailyMetricStage_pkey" PRIMARY KEY ("syncRunId","metaAdId","date")
);

-- hand-written: begin
-- The stage only carries a sync run's rows until its commit (a crashed run's rows are dropped by a later run), so it
-- skips the write-ahead log: a stage emptied by a database crash only means the next sync fetches again.
ALTER TABLE "AdDailyMetricStage" SET UNLOGGED;
-- hand-written: end

-- CreateIndex
CREATE INDEX "AdSet_campaignId_idx" ON "AdSet"("campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "AdSet_adAccountId_metaAdSetId_key" ON "AdSet"("adAccountId", "metaAdSetId");

-- CreateIndex
CREATE INDEX "Ad_adSetId_idx" ON "Ad"("adSetId");

-- CreateIndex
CREATE INDEX "Ad_campaignId_idx" ON "Ad"("campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "Ad_adAccountId_metaAdId_key" ON "Ad"("adAccountId", "metaAdId");

-- CreateIndex
CREATE INDEX "AdDailyMetric_adAccountId_date_idx" ON "AdDailyMetric"("adAccountId", "date");

-- AddForeignKey
ALTER TABLE "AdSet" ADD CONSTRAINT "AdSet_adAccountId_fkey" FOREIGN KEY ("adAccountId") REFERENCES "AdAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdSet" ADD CONSTRAINT "AdSet_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ad" ADD CONSTRAINT "Ad_adAccountId_fkey" FOREIGN KEY ("adAccountId") REFERENCES "AdAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ad" ADD CONSTRAINT "Ad_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ad" ADD CONSTRAINT "Ad_adSetId_fkey" FOREIGN KEY ("adSetId") REFERENCES "AdSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdDailyMetric" ADD CONSTRAINT "AdDailyMetric_adId_fkey" FOREIGN KEY ("adId") REFERENCES "Ad"("id") ON DELETE CASCADE ON UPDATE CASCADE;

