DROP INDEX "payments_order_idx";--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "settled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "checked_in_by" uuid;--> statement-breakpoint
CREATE INDEX "payments_unsettled_idx" ON "payments" USING btree ("status","updated_at");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_orderId_unique" UNIQUE("order_id");