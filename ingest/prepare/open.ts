/**
 * What an ingest process (the worker, the ingest CLI) embeds with and writes to: with prepare
 * threads (INGEST_PARSE_WORKERS > 0) the model runs in them only, and this thread opens the store
 * from the model they report; without, this thread loads the model itself.
 */
import type { BuildLog } from "@/lib/embeddings/build";
import { configuredEmbedderId, embedderConfigFromEnv, ensureModelFiles } from "@/lib/embeddings/factory";
import type { Embedder } from "@/lib/embeddings/types";
import { openEngines } from "@/lib/engines/open";
import type { Env } from "@/lib/env";
import { openLanceVectorStore, type VectorStore } from "@/lib/vectorstore";
import { createPreparePool, type PreparePool } from "./pool";

export interface IngestEngines {
  store: VectorStore;
  /** The threads that parse, chunk and embed; undefined when this thread does. */
  pool?: PreparePool;
  /** This thread's embedder, when there is no pool. */
  embedder?: Embedder;
  /** The model the vectors come from. */
  embedderId: string;
  /** Ends the threads, then closes the store (and this thread's embedder). */
  close(): Promise<void>;
}

export async function openIngestEngines(env: Env, log?: BuildLog): Promise<IngestEngines> {
  if (env.INGEST_PARSE_WORKERS === 0) {
    const engines = await openEngines(env, log);
    return { ...engines, embedderId: engines.embedder.id };
  }
  const config = embedderConfigFromEnv(env, log);
  await ensureModelFiles(config);
  const pool = createPreparePool({ size: env.INGEST_PARSE_WORKERS, embedder: config, embedderId: configuredEmbedderId(config), warm: true });
  try {
    const model = await pool.loaded();
    const store = await openLanceVectorStore({ uri: env.lancedbUri, embedderId: model.embedderId, dimensions: model.dimensions });
    return {
      store,
      pool,
      embedderId: model.embedderId,
      close: async () => {
        await pool.close();
        await store.close();
      },
    };
  } catch (error) {
    await pool.close();
    throw error;
  }
}
