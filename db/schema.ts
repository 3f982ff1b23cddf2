/**
 * The Postgres schema. Tables for later capabilities (knowledge bases,
 * documents, conversations, review, policies) are declared here from the start
 * so each capability adds behaviour, not migrations that reshape the core.
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["agent", "reviewer", "admin"]);
export type Role = (typeof roleEnum.enumValues)[number];

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull(),
    passwordHash: text("password_hash").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

/**
 * One row per sign-in. The session cookie names its row, and every request checks it, so signing
 * out, signing out everywhere, or deactivating the user ends it at once, even for a copied cookie.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    /** Absolute end, whatever the activity: SESSION_MAX_AGE_HOURS after sign-in. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** Why it ended early: "sign-out", "sign-out-everywhere", "deactivated". */
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Append-only, hash-chained record of who did what. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull(),
    actorId: uuid("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    target: text("target"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    /** The audit key that hashed the row (db/audit-key.ts); null for rows from before keys. */
    keyId: text("key_id"),
  },
  (t) => [
    index("audit_events_at_idx").on(t.at),
    index("audit_events_action_target_at_idx").on(t.action, t.target, t.at),
    index("audit_events_actor_idx").on(t.actorEmail),
  ],
);

/** Small key/value facts about this installation (demo seeded, first start done, ...). */
export const appState = pgTable("app_state", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
});

export const kbVisibilityEnum = pgEnum("kb_visibility", ["all", "restricted"]);

export const knowledgeBases = pgTable("knowledge_bases", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  visibility: kbVisibilityEnum("visibility").notNull().default("all"),
  chunkTokens: integer("chunk_tokens").notNull().default(256),
  chunkOverlap: real("chunk_overlap").notNull().default(0.15),
  topK: integer("top_k").notNull().default(6),
  minScore: real("min_score").notNull().default(0),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Who may read a restricted knowledge base. */
export const kbReaders = pgTable(
  "kb_readers",
  {
    kbId: uuid("kb_id").notNull().references(() => knowledgeBases.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.kbId, t.userId] })],
);

/**
 * Ingest workers that are running, each beating every few seconds. A document leased to a worker
 * that stopped beating (or, on the same machine, whose process is gone) is taken over at once
 * rather than when its lease runs out.
 */
export const ingestWorkers = pgTable("ingest_workers", {
  id: text("id").primaryKey(),
  /** The machine and process namespace, so only workers that can see each other's pids judge them. */
  hostKey: text("host_key").notNull(),
  pid: integer("pid").notNull(),
  startedAt: createdAt(),
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
});

export const documentStatusEnum = pgEnum("document_status", [
  "queued",
  "parsing",
  "chunking",
  "embedding",
  "ready",
  "failed",
]);

export interface PassageQuarantine {
  status: "quarantined" | "cleared";
  reason: string;
  /** The passage as it was found, for the admin deciding. */
  text: string;
  at: string;
  /** Who cleared it. */
  by?: string;
}

export const documents = pgTable(
  "documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kbId: uuid("kb_id").notNull().references(() => knowledgeBases.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    sha256: text("sha256").notNull(),
    type: text("type"),
    bytes: integer("bytes").notNull(),
    pages: integer("pages"),
    chunkCount: integer("chunk_count"),
    status: documentStatusEnum("status").notNull().default("queued"),
    progress: real("progress").notNull().default(0),
    error: text("error"),
    version: integer("version").notNull().default(1),
    storagePath: text("storage_path"),
    embedderId: text("embedder_id"),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    /** The documents table is also the ingest queue: a worker leases a row while it processes it. */
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    workerId: text("worker_id"),
    attempts: integer("attempts").notNull().default(0),
    /** After a passing fault, the document waits in the queue until then (backoff between attempts). */
    retryAt: timestamp("retry_at", { withTimezone: true }),
    /** Passages found carrying instructions aimed at the assistant, by chunk id: set aside, or cleared by an admin. */
    quarantine: jsonb("quarantine").$type<Record<string, PassageQuarantine>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("documents_kb_idx").on(t.kbId),
    index("documents_queue_idx").on(t.status, t.createdAt),
    uniqueIndex("documents_kb_file_key").on(t.kbId, t.fileName),
  ],
);

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull().default("New conversation"),
    /** Deleted by its agent: hidden from them, kept (with its review items and turn records) for the retention period. */
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("conversations_user_idx").on(t.userId, t.updatedAt)],
);

export const messageStatusEnum = pgEnum("message_status", [
  "complete",
  "streaming",
  "incomplete",
  "failed",
  "held",
  "refused",
  "released",
  "rejected",
]);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["user", "assistant"] }).notNull(),
    content: text("content").notNull(),
    status: messageStatusEnum("status").notNull().default("complete"),
    /** The chunks used, with their text as it was, so sources survive document updates. */
    sources: jsonb("sources").$type<unknown[]>().notNull().default([]),
    model: text("model"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    timings: jsonb("timings").$type<Record<string, number>>().notNull().default({}),
    risk: jsonb("risk").$type<Record<string, unknown>>(),
    feedback: jsonb("feedback").$type<{ rating: "up" | "down"; reason?: string }>(),
    createdAt: createdAt(),
  },
  (t) => [index("messages_conversation_idx").on(t.conversationId, t.createdAt)],
);

export const reviewStatusEnum = pgEnum("review_status", ["pending", "approved", "edited", "rejected"]);

export const reviewItems = pgTable(
  "review_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Deleting a message (a regenerated answer, a purge) never deletes its review: the item keeps its own texts.
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    // Users are deactivated, not deleted; a delete is refused while they have review items.
    agentId: uuid("agent_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    kbIds: jsonb("kb_ids").$type<string[]>().notNull().default([]),
    question: text("question").notNull(),
    draft: text("draft").notNull(),
    finalText: text("final_text"),
    diff: text("diff"),
    note: text("note"),
    topic: text("topic"),
    reasons: jsonb("reasons").$type<unknown[]>().notNull().default([]),
    /** How serious the strongest reason is (3 a commitment, category or injection; 2 personal data; 1 grounding): the queue's first order. */
    severity: smallint("severity").notNull().default(0),
    status: reviewStatusEnum("status").notNull().default("pending"),
    claimedBy: uuid("claimed_by").references(() => users.id, { onDelete: "set null" }),
    claimExpiresAt: timestamp("claim_expires_at", { withTimezone: true }),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("review_items_queue_idx").on(t.status, t.severity.desc(), t.createdAt)],
);

/**
 * The provenance of every answered turn, written with the answer's final state and chained into
 * the audit log (a `turn.*` event carries `sha256`). No foreign keys: a record outlives the
 * conversation, message and user it names. Texts may be purged after the retention period;
 * their hashes stay, and `sha256` covers the hashes, not the texts.
 */
export const turnRecords = pgTable(
  "turn_records",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    messageId: uuid("message_id").notNull(),
    conversationId: uuid("conversation_id").notNull(),
    userId: uuid("user_id"),
    userEmail: text("user_email").notNull(),
    /** null when the retention setting keeps hashes only, or after a purge. */
    question: text("question"),
    questionSha256: text("question_sha256").notNull(),
    /** The text released to the agent (null while held, when refused or failed, or after a purge). */
    answer: text("answer"),
    answerSha256: text("answer_sha256"),
    /** released | held | rejected | refused | failed | incomplete | not_found */
    outcome: text("outcome").notNull(),
    answerMode: text("answer_mode", { enum: ["generated", "quoted", "none"] }).notNull(),
    kbIds: jsonb("kb_ids").$type<string[]>().notNull().default([]),
    chunks: jsonb("chunks").$type<TurnChunk[]>().notNull().default([]),
    /** The writing model: id, manifest entry, file hashes and adapters (null for a quote). */
    model: jsonb("model").$type<TurnModel | null>(),
    modelPolicyVersion: integer("model_policy_version"),
    reviewPolicyVersion: integer("review_policy_version"),
    assessment: jsonb("assessment").$type<TurnAssessment>().notNull(),
    review: jsonb("review").$type<TurnReview | null>(),
    sha256: text("sha256").notNull(),
    textsPurgedAt: timestamp("texts_purged_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("turn_records_message_idx").on(t.messageId),
    index("turn_records_created_idx").on(t.createdAt),
    index("turn_records_user_idx").on(t.userId, t.createdAt),
    index("turn_records_chunks_idx").using("gin", t.chunks),
  ],
);

export interface TurnChunk {
  n: number;
  chunkId: string;
  kbId: string;
  docId: string;
  docVersion: number;
  fileName: string;
}

export interface TurnModel {
  id: string;
  /** The manifest entry it was allowed under, and its files' hashes. */
  manifestEntry: string | null;
  files: { path: string; sha256: string }[];
  adapters: string[];
}

export interface TurnAssessment {
  decision: string;
  topic: string | null;
  signals: { kind: string; action: string; reason: string; score?: number }[];
}

export interface TurnReview {
  itemId: string;
  reviewerId: string;
  reviewerEmail: string;
  decision: "approved" | "edited" | "rejected";
  at: string;
}

/**
 * People's word on a routing decision, one per answer: a reviewer's (the held answer
 * did or did not need review) or an agent's (a released answer should have been
 * reviewed). Routing quality and retraining read these.
 */
export const routingLabels = pgTable(
  "routing_labels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    messageId: uuid("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    question: text("question").notNull(),
    /** Whether the answer needed a reviewer, as a person judged it. */
    neededReview: boolean("needed_review").notNull(),
    /** Whether routing sent it to review (held or refused) or released it. */
    routedToReview: boolean("routed_to_review").notNull(),
    source: text("source", { enum: ["reviewer", "agent"] }).notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("routing_labels_message_idx").on(t.messageId), index("routing_labels_created_idx").on(t.createdAt)],
);

/**
 * Risk classifiers retrained from routing labels, by the sha256 of their file: the routing
 * policy names the one in use, so restoring an older policy version restores its classifier.
 */
export const routingClassifiers = pgTable("routing_classifiers", {
  sha256: text("sha256").primaryKey(),
  /** The model file (JSON), as `npm run routing:train` writes it. */
  body: text("body").notNull(),
  /** What it was trained on and how it scored against the classifier it replaced. */
  training: jsonb("training").$type<Record<string, unknown>>().notNull(),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/** Versioned policies: kind "models" (license governance) and "routing" (high-stakes review). */
export const policies = pgTable(
  "policies",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind", { enum: ["models", "routing"] }).notNull(),
    version: integer("version").notNull(),
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("policies_kind_version_key").on(t.kind, t.version)],
);

/** Approvals given in the app, on top of the approval recorded in the manifest. */
export const modelApprovals = pgTable("model_approvals", {
  modelId: text("model_id").primaryKey(),
  /** modelFingerprint() of the entry approved: a changed entry needs a new approval. */
  fingerprint: text("fingerprint").notNull(),
  approvedBy: text("approved_by").notNull(),
  approvedAt: timestamp("approved_at", { withTimezone: true }).notNull().defaultNow(),
});

export type User = typeof users.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;

/**
 * Evaluation question sets, one per name and knowledge base; their questions live in
 * versions (an upload or an added question makes a new one), so a run names exactly
 * what it asked. `gated`: a new embedding model or review-policy version must score at
 * least as well as the active one on this set before it is activated.
 */
export const evalSets = pgTable(
  "eval_sets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kbId: uuid("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** questions: retrieval, answers and routing lines; red-team: the admin's own attack attempts. */
    purpose: text("purpose", { enum: ["questions", "red-team"] }).notNull().default("questions"),
    gated: boolean("gated").notNull().default(false),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("eval_sets_kb_name_idx").on(t.kbId, t.name)],
);

export const evalSetVersions = pgTable(
  "eval_set_versions",
  {
    setId: uuid("set_id")
      .notNull()
      .references(() => evalSets.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    items: jsonb("items").$type<unknown[]>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.setId, t.version] })],
);

/**
 * Evaluation runs: background jobs whose progress any web server can show, with the
 * models, index and policy versions they ran against, and their results.
 */
export const evalRuns = pgTable(
  "eval_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ["retrieval", "answers", "routing", "red-team"] }).notNull(),
    kbId: uuid("kb_id").references(() => knowledgeBases.id, { onDelete: "set null" }),
    setId: uuid("set_id").references(() => evalSets.id, { onDelete: "set null" }),
    setVersion: integer("set_version"),
    /** What started it: an admin, the CLI, or a gate (before an embedding model or policy version is activated). */
    trigger: text("trigger").notNull().default("admin"),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull().default("running"),
    done: integer("done").notNull().default(0),
    total: integer("total").notNull().default(0),
    context: jsonb("context").$type<Record<string, unknown>>().notNull().default({}),
    metrics: jsonb("metrics").$type<Record<string, number>>(),
    details: jsonb("details").$type<Record<string, unknown>>(),
    error: text("error"),
    startedBy: text("started_by").notNull(),
    /** Refreshed while the run works: a run whose process died shows as interrupted. */
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("eval_runs_kb_idx").on(t.kbId, t.createdAt), index("eval_runs_set_idx").on(t.setId, t.kind, t.createdAt)],
);
