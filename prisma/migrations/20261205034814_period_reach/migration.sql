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

-- CreateIndex
CREATE INDEX "PeriodReach_adAccountId_since_until_idx" ON "PeriodReach"("adAccountId", "since", "until");

-- AddForeignKey
ALTER TABLE "PeriodReach" ADD CONSTRAINT "PeriodReach_adAccountId_fkey" FOREIGN KEY ("adAccountId") REFERENCES "AdAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodReach" ADD CONSTRAINT "PeriodReach_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;
