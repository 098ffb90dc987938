import { UnknownModelError } from '../service/embedder-service.js';
import { createHfInferenceProvider } from './hf-inference/index.js';
import { LOCAL_MODEL, createLocalProvider } from './local/index.js';
import type { EmbeddingProvider } from './port.js';
import type { GuardEvent } from './resilience/index.js';
import { createTransformersProvider } from './transformers/index.js';

/** What picks and builds providers; from EMBEDDER_* / HF_TOKEN / MODEL_DIR (see config.ts). */
export interface ProviderSettings {
  provider: 'local' | 'hf-inference' | 'transformers';
  hfModel?: string;
  hfEndpointUrl?: string;
  hfToken?: string;
  modelDir?: string;
  timeoutMs?: number;
  /** Breaker and retry events of remote providers (metrics). */
  onEvent?: (event: GuardEvent) => void;
}

/** The provider that embeds new items. */
export async function createProvider(settings: ProviderSettings): Promise<EmbeddingProvider> {
  switch (settings.provider) {
    case 'local':
      return createLocalProvider();
    case 'hf-inference':
      return createHfInferenceProvider({
        ...(settings.hfModel ? { model: settings.hfModel } : {}),
        ...(settings.hfEndpointUrl ? { endpointUrl: settings.hfEndpointUrl } : {}),
        ...(settings.hfToken ? { token: settings.hfToken } : {}),
        ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
        ...(settings.onEvent ? { onEvent: settings.onEvent } : {}),
      });
    case 'transformers':
      return createTransformersProvider({ ...(settings.modelDir ? { modelDir: settings.modelDir } : {}) });
  }
}

/**
 * The provider for a model id, for reembed: the local model (any deployment), `hf:<repo>` (needs
 * HF_TOKEN), `tei:<repo>` (needs EMBEDDER_HF_ENDPOINT_URL), or the transformers model in
 * MODEL_DIR. Anything else is an UnknownModelError naming what this deployment can do.
 */
export async function providerForModel(
  model: string,
  settings: ProviderSettings,
): Promise<EmbeddingProvider> {
  if (model === LOCAL_MODEL) return createLocalProvider();
  const known = knownModels(settings);
  if (model.startsWith('hf:') && settings.hfToken)
    return createHfInferenceProvider({
      model: model.slice(3),
      token: settings.hfToken,
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
      ...(settings.onEvent ? { onEvent: settings.onEvent } : {}),
    });
  if (model.startsWith('tei:') && settings.hfEndpointUrl)
    return createHfInferenceProvider({
      model: model.slice(4),
      endpointUrl: settings.hfEndpointUrl,
      ...(settings.hfToken ? { token: settings.hfToken } : {}),
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
      ...(settings.onEvent ? { onEvent: settings.onEvent } : {}),
    });
  if (model.startsWith('transformers:') && settings.modelDir) {
    const provider = await createTransformersProvider({ modelDir: settings.modelDir });
    if (provider.model === model) return provider;
    await provider.close();
  }
  throw new UnknownModelError(model, known);
}

/** Model ids this deployment can embed with (for error messages and `GET /info`). */
export function knownModels(settings: ProviderSettings): string[] {
  const known = [LOCAL_MODEL];
  if (settings.hfToken)
    known.push(
      `hf:<any feature-extraction model, e.g. ${settings.hfModel ?? 'sentence-transformers/all-MiniLM-L6-v2'}>`,
    );
  if (settings.hfEndpointUrl)
    known.push(`tei:${settings.hfModel ?? 'sentence-transformers/all-MiniLM-L6-v2'}`);
  if (settings.modelDir) known.push('transformers:<the model in MODEL_DIR>');
  return known;
}
