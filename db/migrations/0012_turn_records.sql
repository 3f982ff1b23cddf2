CREATE TABLE "turn_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id" uuid,
	"user_email" text NOT NULL,
	"question" text,
	"question_sha256" text NOT NULL,
	"answer" text,
	"answer_sha256" text,
	"outcome" text NOT NULL,
	"answer_mode" text NOT NULL,
	"kb_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"chunks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"model" jsonb,
	"model_policy_version" integer,
	"review_policy_version" integer,
	"assessment" jsonb NOT NULL,
	"review" jsonb,
	"sha256" text NOT NULL,
	"texts_purged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_message_id_messages_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_agent_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" ALTER COLUMN "message_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "hidden_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "turn_records_message_idx" ON "turn_records" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "turn_records_created_idx" ON "turn_records" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "turn_records_user_idx" ON "turn_records" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "turn_records_chunks_idx" ON "turn_records" USING gin ("chunks");--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;