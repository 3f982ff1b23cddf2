/**
 * Opens the embedder and the vector store a process works with, from settings.
 * The store's table is chosen by the embedder (one table per model and dimension).
 */
import type { Env } from "@/lib/env";
import type { BuildLog } from "@/lib/embeddings/build";
import { createEmbedder, embedderConfigFromEnv } from "@/lib/embeddings/factory";
import type { Embedder } from "@/lib/embeddings/types";
import { openLanceVectorStore, type VectorStore } from "@/lib/vectorstore";

export interface Engines {
  embedder: Embedder;
  store: VectorStore;
  close(): Promise<void>;
}

/**
 * The configured embedder: the offline static model (built when missing, with `log` told
 * about the build), a transformers.js model, or a remote service.
 */
export function openEmbedder(env: Env, log?: BuildLog): Promise<Embedder> {
  return createEmbedder(embedderConfigFromEnv(env, log));
}

export async function openEngines(env: Env, log?: BuildLog): Promise<Engines> {
  const embedder = await openEmbedder(env, log);
  const store = await openLanceVectorStore({ uri: env.lancedbUri, embedderId: embedder.id, dimensions: embedder.dimensions });
  return {
    embedder,
    store,
    close: async () => {
      await store.close();
      await embedder.close?.();
    },
  };
}
