-- AlterTable
ALTER TABLE "AdAccount" ADD COLUMN     "fastSyncedAt" TIMESTAMP(3),
ADD COLUMN     "hourlyPattern" JSONB,
ADD COLUMN     "hourlyPatternAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Suggestion" ADD COLUMN     "alertKey" TEXT;

-- CreateTable
CREATE TABLE "ResultArrival" (
    "adAccountId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "atDay1" BIGINT,
    "atDay2" BIGINT,
    "atDay3" BIGINT,
    "latest" BIGINT NOT NULL,
    "latestAge" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResultArrival_pkey" PRIMARY KEY ("adAccountId","date","kind")
);

-- CreateIndex
CREATE UNIQUE INDEX "Suggestion_alertKey_key" ON "Suggestion"("alertKey");

-- AddForeignKey
ALTER TABLE "ResultArrival" ADD CONSTRAINT "ResultArrival_adAccountId_fkey" FOREIGN KEY ("adAccountId") REFERENCES "AdAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;
