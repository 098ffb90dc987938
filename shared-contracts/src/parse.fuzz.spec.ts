import { expect } from 'chai';
import fc from 'fast-check';
import { EVENT_TYPES, eventCatalog, type EventType } from './catalog.js';
import { createEvent, parseEvent, serializeEvent, type ParseEventResult } from './parse.js';

// Event validation under hostile input, for every event type of the catalog: valid envelopes
// whose data is mutated field by field, envelopes with strange attributes, and unknown versions.
// parseEvent must never throw, and every refusal must say what is wrong.

const TYPES = Object.values(EVENT_TYPES) as EventType[];
const FAILURE_CODES = ['malformed_json', 'invalid_envelope', 'unknown_event_type', 'invalid_data'];

function expectTypedResult(result: ParseEventResult): void {
  if (result.ok) return;
  expect(FAILURE_CODES).to.include(result.code);
  expect(result.reason).to.be.a('string').and.not.equal('');
}

const strangeValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    null,
    '',
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '2026-13-45T99:00:00Z',
    '__proto__',
    [],
    {},
    'x'.repeat(10_000),
  ),
);

/** The catalog example of `type` with one field replaced, removed, or a stranger added. */
function mutatedData(type: EventType): fc.Arbitrary<unknown> {
  const example = eventCatalog[type].example as Record<string, unknown>;
  const keys = Object.keys(example);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), strangeValue).map(([k, v]) => ({ ...example, [k]: v })),
    fc.constantFrom(...keys).map((k) => {
      const copy = { ...example };
      delete copy[k];
      return copy;
    }),
    fc.tuple(fc.string({ maxLength: 12 }), strangeValue).map(([k, v]) => ({ ...example, [k]: v })),
    strangeValue,
  );
}

function envelopeOf(type: EventType, data: unknown): Record<string, unknown> {
  const valid = createEvent(type, eventCatalog[type].example as never, {
    source: '/fuzz',
    subject: 'fuzz-subject',
  });
  return { ...valid, data };
}

describe('event validation fuzz (every event type)', function () {
  this.timeout(20_000);

  for (const type of TYPES) {
    it(`${type}: mutated data is accepted or refused with a reason, never thrown`, () => {
      fc.assert(
        fc.property(mutatedData(type), fc.boolean(), (data, asBytes) => {
          const envelope = envelopeOf(type, data);
          const result = parseEvent(asBytes ? Buffer.from(JSON.stringify(envelope)) : envelope);
          expectTypedResult(result);
          if (!result.ok) expect(['invalid_data', 'malformed_json']).to.include(result.code);
          if (result.ok) expect(result.event.type).to.equal(type);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('mutated envelope attributes are accepted or refused naming the attribute, never thrown', () => {
    const base = envelopeOf(EVENT_TYPES.clusterCreated, eventCatalog[EVENT_TYPES.clusterCreated].example);
    const attributes = Object.keys(base).filter((k) => k !== 'data');
    fc.assert(
      fc.property(fc.constantFrom(...attributes), strangeValue, (attribute, value) => {
        const result = parseEvent({ ...base, [attribute]: value });
        expectTypedResult(result);
        if (!result.ok && result.code === 'invalid_envelope') expect(result.reason).to.contain(attribute);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses every unknown version of every known event type, by name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.integer({ min: 2, max: 10_000 }), (type, version) => {
        const other = type.replace(/\.v1$/, `.v${version}`);
        const event = { ...envelopeOf(type, eventCatalog[type].example), type: other };
        const result = parseEvent(serializeEvent(event as never));
        expect(result.ok).to.equal(false);
        if (!result.ok) {
          expect(result.code).to.equal('unknown_event_type');
          expect(result.reason).to.contain(other);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on arbitrary JSON envelopes carrying a known type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.dictionary(fc.string({ maxLength: 15 }), strangeValue, { maxKeys: 10 }),
        (type, extra) => expectTypedResult(parseEvent({ ...extra, type, specversion: '1.0' })),
      ),
      { numRuns: 300 },
    );
  });
});
