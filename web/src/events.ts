/**
 * The node's server-sent events (`GET /api/events`) read over fetch: EventSource cannot send
 * the device and session headers. Reconnects after a drop with a bounded backoff; `onState`
 * says whether the stream is live (a node that stopped answering is itself "offline").
 */
export interface EventStream {
  close(): void;
}

const BACKOFF_MS = [500, 1_000, 2_000, 5_000] as const;

export function openEvents(
  headers: () => Record<string, string>,
  onEvent: (type: string, data: unknown) => void,
  onState: (live: boolean) => void,
): EventStream {
  let closed = false;
  let controller = new AbortController();
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const dispatch = (chunk: string) => {
    let type = 'message';
    const data: string[] = [];
    for (const line of chunk.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length === 0) return;
    try {
      onEvent(type, JSON.parse(data.join('\n')));
    } catch {
      // A malformed event is dropped; the next status read corrects the screen.
    }
  };

  const connect = async () => {
    controller = new AbortController();
    try {
      const res = await fetch('/api/events', { headers: headers(), signal: controller.signal });
      if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
      attempt = 0;
      onState(true);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          dispatch(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Dropped or refused: retried below.
    }
    if (closed) return;
    onState(false);
    const wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 5_000;
    attempt += 1;
    timer = setTimeout(() => void connect(), wait);
  };
  void connect();
  return {
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      controller.abort();
    },
  };
}
