/**
 * Server-Sent Events from an async generator, one `data:` frame per event. A client that goes
 * away mid-stream cancels it: the generator is closed (so its `finally` blocks run) and nothing
 * more is written, and that is no error. An error is sent as a last `{type: "error"}` frame.
 */

export interface EventStreamOptions<E> {
  toData: (event: E) => unknown;
  /** Whether the request was aborted (the client left). */
  aborted: () => boolean;
  /** Logs an error and returns the message the client reads. */
  onError: (error: unknown) => string;
  /** Called when the client left before the end. */
  onGone: () => void;
}

export function eventStream<E>(events: AsyncGenerator<E>, options: EventStreamOptions<E>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const frame = (data: unknown) => encoder.encode(`data: ${JSON.stringify(data)}\n\n`);
  let gone = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await events.next();
        if (gone) return;
        if (next.done) return controller.close();
        controller.enqueue(frame(options.toData(next.value)));
      } catch (error) {
        if (gone) return;
        if (options.aborted()) {
          options.onGone();
          // The request is gone; ending the stream here only frees it sooner.
          try {
            controller.close();
          } catch {
            // already closed by the runtime
          }
          return;
        }
        controller.enqueue(frame({ type: "error", message: options.onError(error) }));
        controller.close();
      }
    },
    async cancel() {
      gone = true;
      options.onGone();
      await events.return(undefined as never);
    },
  });
}
