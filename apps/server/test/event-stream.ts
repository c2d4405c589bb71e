// patients.changes as an SSE client reads it (what the SPA's httpSubscriptionLink does through EventSource).

export interface StreamEvent {
  id: string | undefined;
  event: string | undefined;
  data: unknown;
}

/** An open event stream of patients.changes: its events as they come (parsed as the SSE format says). */
export async function followChanges(base: string, token: string | null, lastEventId?: string) {
  const input = lastEventId ? `?input=${encodeURIComponent(JSON.stringify({ json: { lastEventId } }))}` : "";
  const aborts = new AbortController();
  const response = await fetch(`${base}/trpc/patients.changes${input}`, {
    headers: { accept: "text/event-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    signal: aborts.signal,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  /** The next event with data (tRPC's own "connected" and ping events skipped), or null once it ended. */
  const next = async (): Promise<StreamEvent | null> => {
    for (;;) {
      const end = buffered.indexOf("\n\n");
      if (end >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split("\n")) {
          const colon = line.indexOf(":");
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        const event = fields.get("event");
        if (event === "return") return null; // the subscription ended
        if (event === "connected" || event === "ping" || !fields.has("data")) continue;
        const data = JSON.parse(fields.get("data") as string) as { json?: unknown };
        return { id: fields.get("id"), event, data: data.json ?? data };
      }
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return null;
      buffered += chunk.value;
    }
  };
  return { response, next, close: () => aborts.abort() };
}
