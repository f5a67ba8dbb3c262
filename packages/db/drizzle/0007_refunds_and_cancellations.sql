ALTER TABLE "tickets" DROP CONSTRAINT "tickets_session_seat_key";--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "last_error" text;--> statement-breakpoint
CREATE INDEX "orders_session_status_idx" ON "orders" USING btree ("session_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_session_seat_key" ON "tickets" USING btree ("session_id","seat_id") WHERE "tickets"."status" <> 'void';