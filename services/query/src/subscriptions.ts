import { defineSubscriptions, type MessageHandler } from '@trendmill/platform';
import { EVENT_TYPES } from '@trendmill/shared-contracts';

/** Everything the query service reacts to, in one place: the events its read model is built from. */
export function querySubscriptions(handlers: {
  itemEmbedded: MessageHandler;
  itemClustered: MessageHandler;
  itemDuplicateDetected: MessageHandler;
  clusterCreated: MessageHandler;
  clusterUpdated: MessageHandler;
  clusterMerged: MessageHandler;
  clusterRetired: MessageHandler;
}) {
  return defineSubscriptions('query', {
    [EVENT_TYPES.itemEmbedded]: handlers.itemEmbedded,
    [EVENT_TYPES.itemClustered]: handlers.itemClustered,
    [EVENT_TYPES.itemDuplicateDetected]: handlers.itemDuplicateDetected,
    [EVENT_TYPES.clusterCreated]: handlers.clusterCreated,
    [EVENT_TYPES.clusterUpdated]: handlers.clusterUpdated,
    [EVENT_TYPES.clusterMerged]: handlers.clusterMerged,
    [EVENT_TYPES.clusterRetired]: handlers.clusterRetired,
  });
}
