export { TransformersProviderError, type TransformersErrorCode } from './errors.js';
export { MODEL_FILES, inspectModelFolder, type ModelDtype, type ModelFolder } from './model-folder.js';
export {
  createTransformersProvider,
  type FeatureExtractor,
  type TensorLike,
  type TransformersModule,
  type TransformersOptions,
  type TransformersProvider,
} from './provider.js';
