export * from './port.js';
export { PermanentFailure, DeferDelivery, describeError, type FailureDecision } from './errors.js';
export { decideFailure } from './failure-policy.js';
export { HEADER } from './headers.js';
export { MemoryBroker } from './memory/memory-broker.js';
export { RabbitMqBroker, type RabbitMqOptions } from './rabbitmq/rabbitmq-broker.js';
export { topologyNames } from './rabbitmq/topology.js';
export { createBroker, SERVICE_GROUPS, type CreateBrokerOptions } from './create-broker.js';
