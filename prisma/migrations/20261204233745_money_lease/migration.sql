-- AlterTable
ALTER TABLE "ChangeRequest" ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "leaseOwner" TEXT;
