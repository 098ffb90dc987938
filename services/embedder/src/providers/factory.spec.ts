import { expect } from 'chai';
import { UnknownModelError } from '../service/embedder-service.js';
import { createProvider, knownModels, providerForModel } from './factory.js';
import { LOCAL_MODEL } from './local/index.js';

describe('provider factory', () => {
  it('builds the local provider by kind and by model id', async () => {
    const byKind = await createProvider({ provider: 'local' });
    const byModel = await providerForModel(LOCAL_MODEL, { provider: 'hf-inference' });
    expect([byKind.kind, byKind.model, byModel.model]).to.deep.equal(['local', LOCAL_MODEL, LOCAL_MODEL]);
    await byKind.close();
    await byModel.close();
  });

  it('refuses a model the deployment cannot produce, naming what it can', async () => {
    const err = await providerForModel('hf:sentence-transformers/all-MiniLM-L6-v2', {
      provider: 'local',
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UnknownModelError);
    expect((err as UnknownModelError).known).to.deep.equal([LOCAL_MODEL]);
    expect(String(err)).to.match(/unknown embedding model "hf:sentence-transformers/);
  });

  it('lists Hugging Face, TEI and transformers models only when they are configured', () => {
    expect(knownModels({ provider: 'local' })).to.deep.equal([LOCAL_MODEL]);
    const all = knownModels({
      provider: 'local',
      hfToken: 'secret',
      hfEndpointUrl: 'http://tei:8080',
      modelDir: '/models/minilm',
    });
    expect(all).to.have.length(4);
    expect(all.join(' ')).to.not.contain('secret');
  });

  it('builds an hf-inference provider for hf:<repo> when a token is configured', async () => {
    const provider = await providerForModel('hf:BAAI/bge-small-en-v1.5', {
      provider: 'local',
      hfToken: 'hf_x',
    });
    expect([provider.kind, provider.model]).to.deep.equal(['hf-inference', 'hf:BAAI/bge-small-en-v1.5']);
    await provider.close();
  });
});
