-- AlterTable
ALTER TABLE "AdAccount" ADD COLUMN     "countryCode" TEXT;
