/** The settings tests start the real local model server with: the test model, one small slot, any port. */
import type { LlmServerOptions } from "@/llm-server";
import { TEST_MODEL_PATH } from "../models";

export const TEST_SERVER_OPTIONS: LlmServerOptions = {
  modelPath: TEST_MODEL_PATH,
  modelId: "stories260k",
  port: 0,
  threads: 1,
  contextSize: 2048,
  parallel: 1,
  queueMax: 4,
  defaultMaxTokens: 64,
};
