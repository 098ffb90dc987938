export { describeBrokerContract, type BrokerContractTarget } from './broker-contract.js';
export { waitFor, sleep } from './wait-for.js';
export * from './db.js';
