import "server-only";
/** The web server's embedder and vector store, opened once per process. */
import { getEnv } from "@/lib/env";
import { processSingleton } from "@/lib/process-singleton";
import { openEngines, type Engines } from "./open";

export const getEngines: () => Promise<Engines> = processSingleton("engines", () => openEngines(getEnv()));
