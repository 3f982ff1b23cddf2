/**
 * An OpenAI-compatible /v1/embeddings service (text-embeddings-inference,
 * vLLM, llama.cpp server …) for deployments that embed on a GPU box.
 */
import { z } from "zod";
import { prefixesFor } from "./transformers";
import type { Embedder, EmbedOptions } from "./types";

export interface RemoteEmbedderOptions {
  /** Server root or its /v1 URL: "http://gpu:8080" and "http://gpu:8080/v1" both work. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  maxBatch?: number;
  /** The server's input limit; the server truncates, we only report it. */
  maxTokens?: number;
  /** Known vector size; when omitted, one probe request asks the server. */
  dimensions?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const responseSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().nonnegative() })),
});

/** The /v1/embeddings URL for a configured base URL. */
export function embeddingsUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  return /\/v1$/.test(base) ? `${base}/embeddings` : `${base}/v1/embeddings`;
}

function normalise(values: number[]): Float32Array {
  const v = Float32Array.from(values);
  const n = Math.hypot(...v);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / n;
  return v;
}

export class RemoteEmbedder implements Embedder {
  readonly kind = "remote" as const;
  readonly id: string;
  readonly maxBatch: number;
  readonly maxTokens: number;
  private readonly url: string;
  private readonly prefixes: { queryPrefix: string; passagePrefix: string };

  private constructor(
    private readonly options: RemoteEmbedderOptions,
    readonly dimensions: number,
  ) {
    this.id = `remote:${options.model}`;
    this.maxBatch = options.maxBatch ?? 64;
    this.maxTokens = options.maxTokens ?? 512;
    this.url = embeddingsUrl(options.baseUrl);
    this.prefixes = prefixesFor(options.model);
  }

  /** Connect; asks the server for the vector size unless `dimensions` is given. */
  static async connect(options: RemoteEmbedderOptions): Promise<RemoteEmbedder> {
    if (options.dimensions) return new RemoteEmbedder(options, options.dimensions);
    const probe = new RemoteEmbedder(options, 0);
    const [v] = await probe.request(["dimension probe"]);
    if (!v || v.length === 0) throw new Error(`Embeddings server ${probe.url} returned an empty vector`);
    return new RemoteEmbedder(options, v.length);
  }

  /** Approximate (about 4 characters a token): the server's tokenizer is not available here. */
  countTokens(text: string): number {
    return Math.ceil(text.length / 4);
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Float32Array[]> {
    const prefix = options.kind === "query" ? this.prefixes.queryPrefix : this.prefixes.passagePrefix;
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.maxBatch) {
      // Servers reject empty strings; a space embeds as "nothing" just the same.
      const batch = texts.slice(start, start + this.maxBatch).map((t) => prefix + t || " ");
      const vectors = await this.request(batch);
      for (const v of vectors) {
        if (v.length !== this.dimensions) {
          throw new Error(`Embeddings server ${this.url} returned ${v.length} dimensions; expected ${this.dimensions}`);
        }
        out.push(v);
      }
    }
    return out;
  }

  private async request(input: string[]): Promise<Float32Array[]> {
    const doFetch = this.options.fetch ?? fetch;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.options.apiKey) headers["authorization"] = `Bearer ${this.options.apiKey}`;
    let res: Response;
    try {
      res = await doFetch(this.url, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: this.options.model, input, encoding_format: "float" }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      throw new Error(`Cannot reach the embeddings server at ${this.url}: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const body = (await res.text().catch(() => "")).slice(0, 300);
      throw new Error(`Embeddings server ${this.url} answered ${res.status}: ${body}`);
    }
    const parsed = responseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success || parsed.data.data.length !== input.length) {
      throw new Error(`Embeddings server ${this.url} sent a malformed response (expected ${input.length} embeddings)`);
    }
    return [...parsed.data.data].sort((a, b) => a.index - b.index).map((d) => normalise(d.embedding));
  }
}
