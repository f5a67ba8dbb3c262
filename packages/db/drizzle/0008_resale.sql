CREATE TABLE "resale_listings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"ticket_version" integer NOT NULL,
	"seller_id" uuid NOT NULL,
	"seller_order_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"seat_id" text NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'listed' NOT NULL,
	"order_id" uuid,
	"reserved_until" timestamp with time zone,
	"new_ticket_id" uuid,
	"payout_status" text,
	"payout_error" text,
	"sold_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resale_listings_amount_non_negative" CHECK ("resale_listings"."amount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "kind" text DEFAULT 'sale' NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "void_reason" text;--> statement-breakpoint
ALTER TABLE "resale_listings" ADD CONSTRAINT "resale_listings_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resale_listings" ADD CONSTRAINT "resale_listings_seller_id_users_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resale_listings" ADD CONSTRAINT "resale_listings_seller_order_id_orders_id_fk" FOREIGN KEY ("seller_order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resale_listings" ADD CONSTRAINT "resale_listings_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "resale_listings_live_ticket_key" ON "resale_listings" USING btree ("ticket_id") WHERE "resale_listings"."status" = 'listed';--> statement-breakpoint
CREATE INDEX "resale_listings_session_idx" ON "resale_listings" USING btree ("session_id","status");--> statement-breakpoint
CREATE INDEX "resale_listings_payout_idx" ON "resale_listings" USING btree ("payout_status","updated_at");--> statement-breakpoint
CREATE INDEX "resale_listings_seller_order_idx" ON "resale_listings" USING btree ("seller_order_id");--> statement-breakpoint
CREATE INDEX "orders_resale_open_idx" ON "orders" USING btree ("expires_at") WHERE "orders"."kind" = 'resale' and "orders"."status" = 'created';