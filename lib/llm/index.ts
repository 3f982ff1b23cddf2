/** Generation: one client for any OpenAI-compatible server (the local one is llm-server/, a process of its own). */
export * from "./types";
export { LlmError, isLlmError, type LlmErrorCode } from "./errors";
export { createOpenAiChatModel, type OpenAiChatConfig } from "./client";
export { checkLlmHealth, connectChatModel, listModels, type LlmHealth, type LlmServerRef } from "./health";
export { llmClientConfig, llmServerRef } from "./server-ref";
