/**
 * Opens the embedder and the vector store a process works with, from settings.
 * The store's table is chosen by the embedder (one table per model and dimension).
 */
import path from "node:path";
import type { Env } from "@/lib/env";
import { StaticOnnxEmbedder } from "@/lib/embeddings/static";
import type { Embedder } from "@/lib/embeddings/types";
import { openLanceVectorStore, type VectorStore } from "@/lib/vectorstore";

export interface Engines {
  embedder: Embedder;
  store: VectorStore;
  close(): Promise<void>;
}

export async function openEmbedder(env: Pick<Env, "EMBEDDER" | "EMBED_BATCH" | "modelsDir">): Promise<Embedder> {
  return StaticOnnxEmbedder.load({ modelDir: path.join(env.modelsDir, env.EMBEDDER), maxBatch: env.EMBED_BATCH });
}

export async function openEngines(env: Pick<Env, "EMBEDDER" | "EMBED_BATCH" | "modelsDir" | "lancedbUri">): Promise<Engines> {
  const embedder = await openEmbedder(env);
  const store = await openLanceVectorStore({ uri: env.lancedbUri, embedderId: embedder.id, dimensions: embedder.dimensions });
  return {
    embedder,
    store,
    close: async () => {
      await embedder.close?.();
    },
  };
}
