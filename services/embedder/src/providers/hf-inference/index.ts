export {
  DEFAULT_HF_MODEL,
  HfInferenceConfigError,
  createHfInferenceProvider,
  type HfInferenceOptions,
  type HfInferenceProvider,
} from './provider.js';
export { toVectors } from './response.js';
