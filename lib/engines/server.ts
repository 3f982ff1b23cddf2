import "server-only";
/**
 * The web server's embedder and vector store, opened once per process and again when
 * the active embedding model changes (Admin › Models, possibly in another web server
 * sharing the data folder). The engines they replace close once in-flight requests
 * are done with them.
 */
import { readChoice, withActiveEmbedding } from "@/lib/embeddings/active";
import { getEnv } from "@/lib/env";
import { openEngines, type Engines } from "./open";

/** Searches started on the old engines finish within this; then they close. */
const RETIRE_AFTER_MS = 60_000;
/** How often the data folder's choice is read again. */
const CHECK_EVERY_MS = 2_000;

interface Slot {
  choice: string;
  checkedAt: number;
  engines: Promise<Engines>;
}

const slots = globalThis as unknown as { "vouch:engines"?: Slot };

export function getEngines(): Promise<Engines> {
  const env = getEnv();
  const slot = slots["vouch:engines"];
  const now = Date.now();
  if (slot && now - slot.checkedAt < CHECK_EVERY_MS) return slot.engines;
  const choice = readChoice(env.dataDir);
  if (slot && slot.choice === choice) {
    slot.checkedAt = now;
    return slot.engines;
  }
  const engines = openEngines(withActiveEmbedding(env));
  const next: Slot = { choice, checkedAt: now, engines };
  slots["vouch:engines"] = next;
  // A failed open is forgotten, so the next caller tries again.
  engines.catch(() => {
    if (slots["vouch:engines"] === next) slots["vouch:engines"] = undefined;
  });
  if (slot) retire(slot.engines);
  return engines;
}

function retire(engines: Promise<Engines>) {
  setTimeout(() => void engines.then((e) => e.close()).catch(() => undefined), RETIRE_AFTER_MS).unref();
}
