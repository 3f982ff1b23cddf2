import http from "node:http";
import https from "node:https";

/** A response whose body is read only as fast as the caller iterates it. */
export interface StreamingResponse {
  status: number;
  statusText: string;
  header(name: string): string | undefined;
  /** Leaving a loop over it early closes the connection; reading it to its end frees it for the next request. */
  body: AsyncIterable<Uint8Array>;
  /** True once the whole body has arrived (what remains is buffered here), so reading on cannot wait. */
  readonly complete: boolean;
  text(): Promise<string>;
}

export interface RequestInit {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Connection pool, e.g. a keep-alive agent from createAgents(); Node's global agent when unset. */
  agents?: Agents;
}

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Keep-alive agents for one client: each request on a new TCP connection costs both ends a connect,
 * an accept and the socket set-up (about 1 ms of CPU here). Idle sockets do not keep the process alive.
 */
export function createAgents(): Agents {
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}

/**
 * One HTTP(S) request over node:http. Used instead of fetch because fetch's web streams cost
 * about 0.2 ms of CPU per streamed token here, several percent of a small model's token time.
 * Rejects with the socket error (its `code` is e.g. ECONNREFUSED) or the signal's abort error.
 */
export async function request(url: string, init: RequestInit): Promise<StreamingResponse> {
  try {
    return await requestOnce(url, init);
  } catch (error) {
    // A pooled connection the server closed while idle fails on first use; a fresh one is the
    // standard cure (the request never reached the server, so sending it again is safe).
    if (!isStaleSocketError(error) || init.signal?.aborted) throw error;
    return requestOnce(url, init);
  }
}

function requestOnce(url: string, init: RequestInit): Promise<StreamingResponse> {
  const target = new URL(url);
  const secure = target.protocol === "https:";
  const transport = secure ? https : http;
  const agent = init.agents ? (secure ? init.agents.https : init.agents.http) : undefined;
  return new Promise((resolve, reject) => {
    const req = transport.request(target, { method: init.method, headers: init.headers, signal: init.signal, agent }, (res) => {
      resolve({
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? "",
        header: (name) => {
          const value = res.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(", ") : value;
        },
        body: res,
        get complete() {
          return res.complete;
        },
        text: async () => {
          let text = "";
          res.setEncoding("utf8");
          for await (const chunk of res as AsyncIterable<string>) text += chunk;
          return text;
        },
      });
    });
    req.on("error", (error) => reject(req.reusedSocket ? Object.assign(error, { staleSocket: true }) : error));
    req.setNoDelay(true);
    req.end(init.body);
  });
}

function isStaleSocketError(error: unknown): boolean {
  const { code, staleSocket } = error as { code?: string; staleSocket?: boolean };
  return staleSocket === true && (code === "ECONNRESET" || code === "EPIPE");
}
