-- AlterTable
ALTER TABLE "AdAccount" ADD COLUMN     "countryCode" TEXT;

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "budgetWritesBlockedUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "AdSet" ADD COLUMN     "budgetWritesBlockedUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ChangeRequest" ADD COLUMN     "adId" TEXT,
ADD COLUMN     "adSetId" TEXT,
ADD COLUMN     "groupId" TEXT,
ADD COLUMN     "level" TEXT NOT NULL DEFAULT 'campaign';

-- AlterTable
ALTER TABLE "Suggestion" ADD COLUMN     "adId" TEXT,
ADD COLUMN     "adSetId" TEXT,
ADD COLUMN     "level" TEXT NOT NULL DEFAULT 'campaign';

-- CreateIndex
CREATE INDEX "ChangeRequest_adSetId_appliedAt_idx" ON "ChangeRequest"("adSetId", "appliedAt");

-- CreateIndex
CREATE INDEX "ChangeRequest_adId_appliedAt_idx" ON "ChangeRequest"("adId", "appliedAt");

-- CreateIndex
CREATE INDEX "ChangeRequest_groupId_idx" ON "ChangeRequest"("groupId");

-- CreateIndex
CREATE INDEX "Suggestion_adSetId_kind_status_idx" ON "Suggestion"("adSetId", "kind", "status");

-- CreateIndex
CREATE INDEX "Suggestion_adId_kind_status_idx" ON "Suggestion"("adId", "kind", "status");

-- AddForeignKey
ALTER TABLE "ChangeRequest" ADD CONSTRAINT "ChangeRequest_adSetId_fkey" FOREIGN KEY ("adSetId") REFERENCES "AdSet"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeRequest" ADD CONSTRAINT "ChangeRequest_adId_fkey" FOREIGN KEY ("adId") REFERENCES "Ad"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Suggestion" ADD CONSTRAINT "Suggestion_adSetId_fkey" FOREIGN KEY ("adSetId") REFERENCES "AdSet"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Suggestion" ADD CONSTRAINT "Suggestion_adId_fkey" FOREIGN KEY ("adId") REFERENCES "Ad"("id") ON DELETE SET NULL ON UPDATE CASCADE;
