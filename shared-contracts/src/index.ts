// Event contracts shared by every Trendmill service and by external consumers. No I/O here.
export { envelopeSchema, EVENT_TYPE_PATTERN, type Envelope } from './envelope.js';
export { encodeVector, decodeVector } from './vector.js';
export {
  EVENT_TYPES,
  EVENT_TYPE_LIST,
  eventCatalog,
  isEventType,
  type EventType,
  type EventDataMap,
  type EventDescriptor,
  type TrendmillEvent,
} from './catalog.js';
export {
  parseEvent,
  createEvent,
  serializeEvent,
  MAX_EVENT_BYTES,
  type ParseEventResult,
  type ParseFailureCode,
  type CreateEventOptions,
} from './parse.js';
export { jsonSchemaFor, dataJsonSchema, envelopeJsonSchema } from './json-schema.js';
export { buildAsyncApi, CONTRACTS_VERSION } from './asyncapi.js';
export { itemCollected, type ItemCollected } from './events/item-collected.js';
export { itemNormalized, type ItemNormalized } from './events/item-normalized.js';
export { itemDuplicateDetected, type ItemDuplicateDetected } from './events/item-duplicate-detected.js';
export { itemEmbedded, type ItemEmbedded } from './events/item-embedded.js';
export { itemClustered, type ItemClustered } from './events/item-clustered.js';
export { clusterCreated, type ClusterCreated } from './events/cluster-created.js';
export { clusterUpdated, type ClusterUpdated } from './events/cluster-updated.js';
export { clusterMerged, type ClusterMerged } from './events/cluster-merged.js';
export { clusterRetired, type ClusterRetired } from './events/cluster-retired.js';
export { sourceFailed, type SourceFailed } from './events/source-failed.js';
export * from './rest/index.js';
