/**
 * Names of everything the Kafka adapter creates, in one place so operators can find them:
 * `<prefix>.<entity>` is the topic of an event family (`trendmill.item.collected.v1` goes to
 * `trendmill.item`), `<prefix>.<group>.retry` a group's retries, `<prefix>.<group>.dlq` its dead
 * letters and `<prefix>.<group>.dlq.replayed` the compacted record of which ones were replayed.
 * A group consumes as the Kafka consumer group `<prefix>.<group>`.
 */
export interface KafkaTopicNames {
  /** The family topic an event type is published to. */
  family(type: string): string;
  /** The one family topic a subscription pattern can match, or undefined when its entity word is a wildcard. */
  familyOfPattern(pattern: string): string | undefined;
  /** Whether a topic is a family topic under this prefix (and not a group's retry or dead-letter topic). */
  isFamily(topic: string): boolean;
  retry(group: string): string;
  deadLetter(group: string): string;
  replayed(group: string): string;
  consumerGroup(group: string): string;
}

export function kafkaTopicNames(prefix: string): KafkaTopicNames {
  const base = `${topicSafe(prefix, true)}.`;
  const groupBase = (group: string) => `${base}${topicSafe(group, true)}`;
  return {
    family: (type) => `${base}${topicSafe(entityOfType(type))}`,
    familyOfPattern: (pattern) => {
      const entity = entityOfPattern(pattern);
      return entity === undefined ? undefined : `${base}${topicSafe(entity)}`;
    },
    isFamily: (topic) => topic.startsWith(base) && /^[A-Za-z0-9_-]+$/.test(topic.slice(base.length)),
    retry: (group) => `${groupBase(group)}.retry`,
    deadLetter: (group) => `${groupBase(group)}.dlq`,
    replayed: (group) => `${groupBase(group)}.dlq.replayed`,
    consumerGroup: (group) => groupBase(group),
  };
}

/** The entity word of `trendmill.<entity>.<verb>.v<N>`: the second word (the only one of a one-word type). */
export function entityOfType(type: string): string {
  const words = type.split('.');
  return words.length > 1 ? words[1]! : words[0]!;
}

/**
 * The entity word every type matched by an AMQP-style pattern shares, if the pattern pins it.
 * `*` and `#` consume at least / any number of words, so only a literal second word (after a
 * non-`#` first word) pins the entity; a one-word literal pattern matches only that one-word type.
 */
export function entityOfPattern(pattern: string): string | undefined {
  const words = pattern.split('.');
  const isWild = (w: string | undefined) => w === undefined || w === '*' || w === '#';
  if (words.length === 1) return isWild(words[0]) ? undefined : words[0];
  if (words[0] === '#' || isWild(words[1])) return undefined;
  return words[1];
}

/**
 * Kafka topic names allow `[A-Za-z0-9._-]`; anything else becomes `_`. A family entity is one
 * segment, so it loses its dots too (that keeps `isFamily` able to tell families from group topics).
 */
export function topicSafe(word: string, allowDots = false): string {
  const cleaned = word.replace(allowDots ? /[^A-Za-z0-9._-]/g : /[^A-Za-z0-9_-]/g, '_');
  return cleaned === '' ? '_' : cleaned;
}

/** The topics a subscription must consume: pinned family topics, or every known family topic. */
export function familyTopicsFor(
  names: KafkaTopicNames,
  patterns: readonly string[],
  existingTopics: readonly string[],
): { topics: string[]; wildcard: boolean } {
  const pinned = patterns.map((p) => names.familyOfPattern(p));
  const wildcard = pinned.some((t) => t === undefined);
  const topics = new Set(pinned.filter((t): t is string => t !== undefined));
  if (wildcard) for (const t of existingTopics) if (names.isFamily(t)) topics.add(t);
  return { topics: [...topics].sort(), wildcard };
}

export type TopicKind = 'family' | 'retry' | 'dead-letter' | 'replayed';

/** What a topic under this prefix is for (decides its partitions and configs when it is created). */
export function topicKind(names: KafkaTopicNames, topic: string): TopicKind {
  if (names.isFamily(topic)) return 'family';
  if (topic.endsWith('.dlq.replayed')) return 'replayed';
  if (topic.endsWith('.dlq')) return 'dead-letter';
  return 'retry';
}
