-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "stoppedReason" TEXT;

-- CreateTable
CREATE TABLE "PromolyState" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PromolyState_pkey" PRIMARY KEY ("key")
);
