import { randomUUID } from 'node:crypto';
import { describeBrokerContract } from '../../../src/testing/broker-contract.js';
import { RabbitMqBroker } from '../../../src/broker/rabbitmq/rabbitmq-broker.js';
import { RABBITMQ_URL, closeAllRabbitConnections, deleteRabbitTopology } from './rabbitmq-admin.js';

const prefix = `trendmill-test-${randomUUID().slice(0, 8)}`;

describeBrokerContract('amqp:// (local RabbitMQ)', {
  create: () =>
    RabbitMqBroker.connect({ url: RABBITMQ_URL, prefix, connectionName: 'trendmill-contract-test' }),
  features: { persistent: true, orderedPerKey: true, reconnects: true },
  breakConnection: closeAllRabbitConnections,
  cleanup: () => deleteRabbitTopology(prefix),
});
