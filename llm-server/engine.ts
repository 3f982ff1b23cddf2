import path from "node:path";
import { getLlama, LlamaChat, LlamaLogLevel, type ChatHistoryItem, type Llama, type LlamaGrammar, type LlamaModel } from "node-llama-cpp";
import type { ChatMessage, FinishReason } from "@/lib/llm/types";
import { checkGgufHeader, ModelFileError } from "./gguf-check";
import { adapterNamedIn, checkLoraAdapters, describeAdapter, type AdapterFile } from "./lora-check";

/** One generation as the engine runs it; every field already has its final value. */
export interface GenerationRequest {
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  topP?: number;
  stop: string[];
  seed?: number;
  /** A JSON schema the answer must match (OpenAI's response_format "json_schema"). */
  jsonSchema?: Record<string, unknown>;
}

export interface GenerationOutcome {
  text: string;
  finishReason: FinishReason;
  completionTokens: number;
}

/** What the HTTP layer needs from a model runtime; tests and benches can hand in the real one. */
export interface GenerationEngine {
  readonly modelId: string;
  /** Parallel sequences; `generate` must be called with slot in [0, slots). */
  readonly slots: number;
  /** Tokens one sequence holds (prompt plus answer). */
  readonly contextSize: number;
  /** LoRA adapters applied to every sequence (shown on /health). */
  readonly adapters?: readonly LoadedAdapter[];
  /** Prompt length in tokens after the model's chat template is applied. */
  countPromptTokens(messages: ChatMessage[]): number;
  /** Runs one generation on a free slot; rejects with the signal's reason when aborted. */
  generate(slot: number, request: GenerationRequest, onText: (text: string) => void, signal: AbortSignal): Promise<GenerationOutcome>;
  close(): Promise<void>;
}

/** A LoRA adapter the engine applied; its id is the manifest id, or the file name without .gguf. */
export interface LoadedAdapter {
  id: string;
  path: string;
  scale: number;
}

export interface LlamaEngineOptions {
  modelPath: string;
  modelId: string;
  /** LoRA adapter files applied to every sequence; scale defaults to 1 (llama.cpp then applies alpha/rank). */
  adapters?: (AdapterFile & { scale?: number })[];
  threads: number;
  /** Requested tokens per sequence; capped at the model's trained context. */
  contextSize: number;
  parallel: number;
  /** Use a GPU backend when one is available; CPU-only by default so results and speed are predictable. */
  gpu?: boolean;
}

/** Loads a GGUF model with node-llama-cpp; failures throw ModelFileError with one readable line. */
export async function loadLlamaEngine(options: LlamaEngineOptions): Promise<GenerationEngine> {
  await checkGgufHeader(options.modelPath);
  const adapters: LoadedAdapter[] = (options.adapters ?? []).map((a) => ({
    id: a.id ?? path.basename(a.path).replace(/\.gguf$/i, ""),
    path: a.path,
    scale: a.scale ?? 1,
  }));
  await checkLoraAdapters(options.modelPath, adapters);

  // llama.cpp explains load failures only in its log; keep its error lines for our message.
  const nativeErrors: string[] = [];
  const llama = await getLlama({
    gpu: options.gpu ? "auto" : false,
    build: "never",
    logLevel: LlamaLogLevel.error,
    logger: (level, message) => {
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) nativeErrors.push(message.trim());
    },
  });
  try {
    const model = await llama.loadModel({ modelPath: options.modelPath }).catch(async (cause: unknown) => {
      throw new ModelFileError(await describeLoadFailure(options.modelPath, cause, nativeErrors), { cause });
    });
    const context = await model
      .createContext({
        sequences: options.parallel,
        contextSize: Math.min(options.contextSize, model.trainContextSize),
        threads: options.threads,
        lora: adapters.length ? { adapters: adapters.map((a) => ({ filePath: a.path, scale: a.scale })) } : undefined,
      })
      .catch(async (cause: unknown) => {
        // checkLoraAdapters catches the refusals we know; name the adapter for any other.
        const adapter = adapterNamedIn(cause, adapters);
        const verb = adapter ? `load ${describeAdapter(adapter)} on` : "create a context for";
        throw new ModelFileError(await describeLoadFailure(options.modelPath, cause, nativeErrors, verb), { cause });
      });
    const chats = Array.from({ length: options.parallel }, () => new LlamaChat({ contextSequence: context.getSequence() }));
    return new LlamaEngine(llama, model, chats, options.modelId, context.contextSize, adapters);
  } catch (error) {
    await llama.dispose();
    throw error;
  }
}

async function describeLoadFailure(file: string, cause: unknown, nativeErrors: string[], verb = "load"): Promise<string> {
  // The native log reaches JS just after the rejection; give it a moment to arrive.
  await new Promise((resolve) => setTimeout(resolve, 50));
  // The first native error names the cause ("tensor … not within the file bounds"); later ones only repeat "failed".
  const native = nativeErrors.find((line) => /error loading model/.test(line)) ?? nativeErrors[0] ?? "";
  const reason = native.replace(/^\w+:\s*(error loading model:\s*)?/, "") || (cause instanceof Error ? cause.message : String(cause));
  return `Could not ${verb} model ${file}: ${reason.split("\n")[0]}`;
}

class LlamaEngine implements GenerationEngine {
  constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly chats: LlamaChat[],
    readonly modelId: string,
    readonly contextSize: number,
    readonly adapters: readonly LoadedAdapter[],
  ) {}

  get slots(): number {
    return this.chats.length;
  }

  countPromptTokens(messages: ChatMessage[]): number {
    const chat = this.chats[0];
    if (!chat) throw new Error("engine has no sequences");
    const state = chat.chatWrapper.generateContextState({ chatHistory: toChatHistory(messages) });
    return state.contextText.tokenize(this.model.tokenizer).length;
  }

  async generate(slot: number, request: GenerationRequest, onText: (text: string) => void, signal: AbortSignal): Promise<GenerationOutcome> {
    const chat = this.chats[slot];
    if (!chat) throw new RangeError(`slot ${slot} does not exist`);
    let completionTokens = 0;
    const response = await chat.generateResponse(toChatHistory(request.messages), {
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      topP: request.topP,
      seed: request.seed,
      customStopTriggers: request.stop.length > 0 ? request.stop : undefined,
      grammar: request.jsonSchema ? await this.grammarFor(request.jsonSchema) : undefined,
      signal,
      onToken: (tokens) => {
        completionTokens += tokens.length;
      },
      onTextChunk: (text) => {
        if (text !== "") onText(text);
      },
    });
    return {
      text: response.response,
      finishReason: response.metadata.stopReason === "maxTokens" ? "length" : "stop",
      completionTokens,
    };
  }

  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  /** A grammar per schema, built once: callers such as the review judge send the same schema on every turn. */
  private grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = this.llama.createGrammarForJsonSchema(schema as Parameters<Llama["createGrammarForJsonSchema"]>[0]);
      this.grammars.set(key, grammar);
      grammar.catch(() => this.grammars.delete(key));
    }
    return grammar;
  }

  async close(): Promise<void> {
    for (const chat of this.chats) chat.dispose({ disposeSequence: true });
    await this.llama.dispose();
  }
}

/** OpenAI messages to node-llama-cpp history, ending with an empty model turn for the answer. */
export function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === "system"
      ? { type: "system", text: m.content }
      : m.role === "user"
        ? { type: "user", text: m.content }
        : { type: "model", response: [m.content] },
  );
  history.push({ type: "model", response: [] });
  return history;
}
