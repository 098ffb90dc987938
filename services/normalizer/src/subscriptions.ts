import { defineSubscriptions, type MessageHandler } from '@trendmill/platform';
import { EVENT_TYPES } from '@trendmill/shared-contracts';

/** Everything the normalizer reacts to, in one place. */
export function normalizerSubscriptions(handlers: { itemCollected: MessageHandler }) {
  return defineSubscriptions('normalizer', {
    [EVENT_TYPES.itemCollected]: handlers.itemCollected,
  });
}
