import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_TYPE_LIST } from './catalog.js';
import { generatedDocuments } from './generated-documents.js';
import { buildAsyncApi } from './asyncapi.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('generated contract documents', () => {
  it('are up to date with the zod schemas (run `npm run generate -w shared-contracts` if not)', () => {
    const expected = generatedDocuments();
    for (const [file, content] of Object.entries(expected)) {
      let actual: string;
      try {
        actual = readFileSync(join(root, file), 'utf8');
      } catch {
        throw new Error(`shared-contracts/${file} is missing: run \`npm run generate -w shared-contracts\``);
      }
      expect(
        actual,
        `shared-contracts/${file} is out of date: run \`npm run generate -w shared-contracts\``,
      ).to.equal(content);
    }
    const onDisk = readdirSync(join(root, 'schemas')).map((f) => `schemas/${f}`);
    expect(onDisk.sort(), 'no stale schema files').to.deep.equal(
      Object.keys(expected)
        .filter((f) => f.startsWith('schemas/'))
        .sort(),
    );
  });

  it('has a JSON Schema per event type, with the type fixed and the data schema inside', () => {
    for (const type of EVENT_TYPE_LIST) {
      const schema = JSON.parse(generatedDocuments()[`schemas/${type}.json`]!) as {
        $schema: string;
        properties: { type: { const: string }; data: { type: string; properties: object } };
      };
      expect(schema.$schema).to.contain('2020-12');
      expect(schema.properties.type.const).to.equal(type);
      expect(schema.properties.data.type).to.equal('object');
      expect(Object.keys(schema.properties.data.properties).length).to.be.greaterThan(2);
    }
  });

  it('is an AsyncAPI 3 document with a channel, a message and send/receive operations per event', () => {
    const doc = buildAsyncApi() as {
      asyncapi: string;
      channels: Record<string, { address: string }>;
      operations: Record<string, { action: string; channel: { $ref: string } }>;
      components: { messages: Record<string, { name: string }> };
    };
    expect(doc.asyncapi).to.equal('3.0.0');
    for (const type of EVENT_TYPE_LIST) {
      const channel = Object.entries(doc.channels).find(([, c]) => c.address === type);
      expect(channel, `channel for ${type}`).to.not.equal(undefined);
      const id = channel![0];
      expect(doc.components.messages[id]!.name).to.equal(type);
      const actions = Object.values(doc.operations)
        .filter((o) => o.channel.$ref === `#/channels/${id}`)
        .map((o) => o.action)
        .sort();
      expect(actions).to.deep.equal(['receive', 'send']);
    }
  });
});
