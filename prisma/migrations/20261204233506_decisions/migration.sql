-- AlterTable
ALTER TABLE "ChangeRequest" ADD COLUMN     "replacesId" TEXT;

-- AddForeignKey
ALTER TABLE "ChangeRequest" ADD CONSTRAINT "ChangeRequest_replacesId_fkey" FOREIGN KEY ("replacesId") REFERENCES "ChangeRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;
