-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "slackVerifiedAt" TIMESTAMP(3);
