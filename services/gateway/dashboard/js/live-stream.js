import { createSseParser } from './sse-parser.js';

/**
 * Follows GET /api/v1/stream with the key in the Authorization header, resuming with
 * Last-Event-ID after a drop (the gateway replays what was missed from its event log).
 * States: connecting, live, reconnecting, unauthorized, closed.
 */
export function openLiveStream({ key, types, onEvent, onState }) {
  let lastEventId;
  let retryMs = 3_000;
  let closed = false;
  let controller;
  let timer;
  let failures = 0;

  const connect = async () => {
    controller = new AbortController();
    onState(failures === 0 && lastEventId === undefined ? 'connecting' : 'reconnecting');
    try {
      const headers = { authorization: `Bearer ${key}`, accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const res = await fetch(`/api/v1/stream?types=${encodeURIComponent(types.join(','))}`, {
        headers,
        cache: 'no-store',
        signal: controller.signal,
      });
      if (res.status === 401 || res.status === 403) {
        closed = true;
        onState('unauthorized');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      failures = 0;
      onState('live');
      const parser = createSseParser((event) => {
        if (event.retry !== undefined) retryMs = Math.min(Math.max(event.retry, 500), 60_000);
        if (event.id !== undefined) lastEventId = event.id;
        if (event.event !== 'retry') onEvent(event);
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch {
      // dropped or refused: retried below unless closed
    }
    if (closed) return;
    failures++;
    onState('reconnecting');
    // Backs off while the gateway stays away, up to a minute.
    timer = setTimeout(connect, Math.min(retryMs * 2 ** Math.min(failures - 1, 5), 60_000));
  };

  void connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      controller?.abort();
      onState('closed');
    },
  };
}
