/**
 * An incremental text/event-stream parser (the HTML Living Standard's rules: `field: value`
 * lines, a blank line dispatches, `:` starts a comment, data lines join with "\n").
 * EventSource cannot send an Authorization header, so the dashboard streams with fetch.
 * @param {(event: {id?: string, event: string, data: string, retry?: number}) => void} onEvent
 */
export function createSseParser(onEvent) {
  let buffer = '';
  let data = [];
  let type = '';
  let id;
  let retry;

  const dispatch = () => {
    if (data.length > 0) onEvent({ id, event: type || 'message', data: data.join('\n'), retry });
    else if (retry !== undefined) onEvent({ id, event: 'retry', data: '', retry });
    data = [];
    type = '';
    retry = undefined;
  };

  const line = (text) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  };

  return {
    /** Feeds decoded text; complete lines are handled, a partial one waits for the next chunk. */
    push(chunk) {
      buffer += chunk;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A lone "\r" at the end may be the first half of "\r\n": wait for more.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) break;
        line(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    },
    /** The last id seen (sent back as Last-Event-ID on reconnect). */
    get lastEventId() {
      return id;
    },
  };
}
