CREATE TABLE "routing_labels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"question" text NOT NULL,
	"needed_review" boolean NOT NULL,
	"routed_to_review" boolean NOT NULL,
	"source" text NOT NULL,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "routing_labels" ADD CONSTRAINT "routing_labels_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_labels" ADD CONSTRAINT "routing_labels_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "routing_labels_message_idx" ON "routing_labels" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "routing_labels_created_idx" ON "routing_labels" USING btree ("created_at");