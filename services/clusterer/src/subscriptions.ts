import { PermanentFailure, defineSubscriptions, type MessageHandler } from '@trendmill/platform';
import { EVENT_TYPES } from '@trendmill/shared-contracts';

/**
 * Everything the clusterer reacts to, in one place. Every version of item.embedded is bound, so a
 * version this release does not know reaches the dead-letter queue with a reason instead of
 * never being routed here at all.
 */
export function clustererSubscriptions(handlers: { itemEmbedded: MessageHandler }) {
  return defineSubscriptions('clusterer', {
    [EVENT_TYPES.itemEmbedded]: handlers.itemEmbedded,
    'trendmill.item.embedded.*': async (message) => {
      throw new PermanentFailure(
        `unknown event version ${message.type}; this clusterer reads ${EVENT_TYPES.itemEmbedded}`,
        'unknown_event_type',
      );
    },
  });
}
