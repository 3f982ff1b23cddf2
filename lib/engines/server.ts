import "server-only";
/** The web server's embedder and vector store, opened once per process. */
import { getEnv } from "@/lib/env";
import { openEngines, type Engines } from "./open";

const g = globalThis as unknown as { vouchEngines?: Promise<Engines> };

export function getEngines(): Promise<Engines> {
  g.vouchEngines ??= openEngines(getEnv()).catch((error) => {
    g.vouchEngines = undefined;
    throw error;
  });
  return g.vouchEngines;
}
