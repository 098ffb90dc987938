import { expect } from 'chai';
import fc from 'fast-check';
import { matchesType } from '../port.js';
import { entityOfPattern, familyTopicsFor, kafkaTopicNames, topicKind } from './topics.js';

describe('kafka topics', () => {
  const n = kafkaTopicNames('trendmill');

  it('puts an event type on the topic of its family (the entity word)', () => {
    expect(n.family('trendmill.item.collected.v1')).to.equal('trendmill.item');
    expect(n.family('trendmill.cluster.merged.v2')).to.equal('trendmill.cluster');
    expect(n.family('trendmill.contractab12cd34.happened.v1')).to.equal('trendmill.contractab12cd34');
    expect(n.family('ping')).to.equal('trendmill.ping');
  });

  it('keeps topic names within the characters Kafka allows', () => {
    expect(n.family('trendmill.it€m/x.created.v1')).to.equal('trendmill.it_m_x');
    expect(n.family('trendmill..created.v1')).to.equal('trendmill._');
    expect(kafkaTopicNames('my app').retry('norm/alizer')).to.equal('my_app.norm_alizer.retry');
  });

  it('names the topics and consumer group of a subscribing group after it', () => {
    expect(n.retry('normalizer')).to.equal('trendmill.normalizer.retry');
    expect(n.deadLetter('normalizer')).to.equal('trendmill.normalizer.dlq');
    expect(n.replayed('normalizer')).to.equal('trendmill.normalizer.dlq.replayed');
    expect(n.consumerGroup('normalizer')).to.equal('trendmill.normalizer');
  });

  it('tells family topics from group topics and foreign ones', () => {
    expect(n.isFamily('trendmill.item')).to.equal(true);
    expect(n.isFamily('trendmill.normalizer.retry')).to.equal(false);
    expect(n.isFamily('trendmill.normalizer.dlq')).to.equal(false);
    expect(n.isFamily('other.item')).to.equal(false);
    expect(n.isFamily('__consumer_offsets')).to.equal(false);
    expect(topicKind(n, 'trendmill.dlq')).to.equal('family');
    expect(topicKind(n, 'trendmill.g.retry')).to.equal('retry');
    expect(topicKind(n, 'trendmill.g.dlq')).to.equal('dead-letter');
    expect(topicKind(n, 'trendmill.g.dlq.replayed')).to.equal('replayed');
  });

  it('finds the family a pattern pins, and leaves wildcard entities open', () => {
    expect(entityOfPattern('trendmill.item.collected.v1')).to.equal('item');
    expect(entityOfPattern('trendmill.cluster.#')).to.equal('cluster');
    expect(entityOfPattern('*.item.#')).to.equal('item');
    expect(entityOfPattern('ping')).to.equal('ping');
    expect(entityOfPattern('trendmill.*.other.v1')).to.equal(undefined);
    expect(entityOfPattern('trendmill.#')).to.equal(undefined);
    expect(entityOfPattern('#.item.collected.v1')).to.equal(undefined);
    expect(entityOfPattern('#')).to.equal(undefined);
    expect(entityOfPattern('*')).to.equal(undefined);
  });

  it('subscribes to pinned families, or to every existing family when an entity is open', () => {
    const existing = ['trendmill.item', 'trendmill.x', 'trendmill.g.retry', 'other.item'];
    expect(familyTopicsFor(n, ['trendmill.item.#', 'trendmill.cluster.created.v1'], existing)).to.deep.equal({
      topics: ['trendmill.cluster', 'trendmill.item'],
      wildcard: false,
    });
    expect(familyTopicsFor(n, ['trendmill.ct.#', 'trendmill.*.other.v1'], existing)).to.deep.equal({
      topics: ['trendmill.ct', 'trendmill.item', 'trendmill.x'],
      wildcard: true,
    });
  });

  it('never routes a matching type to a topic its pinned pattern does not read', () => {
    const word = fc.constantFrom('trendmill', 'item', 'cluster', 'v1', 'a');
    const patternWord = fc.oneof(word, fc.constantFrom('*', '#'));
    const type = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join('.'));
    const pattern = fc.array(patternWord, { minLength: 1, maxLength: 5 }).map((w) => w.join('.'));
    fc.assert(
      fc.property(pattern, type, (p, t) => {
        const pinned = n.familyOfPattern(p);
        if (pinned !== undefined && matchesType([p], t)) expect(n.family(t)).to.equal(pinned);
      }),
      { numRuns: 2_000 },
    );
  });
});
