export {
  DatasetError,
  datasetName,
  parseLabelledTexts,
  readLabelledTexts,
  type LabelledText,
} from './dataset.js';
export { evaluateEmbeddings, type EmbedEvalOptions, type EmbedEvalResult } from './evaluate.js';
export { minCostAssignment, maxWeightAssignment } from './hungarian.js';
export { kmeans, type KMeansOptions, type KMeansResult } from './kmeans.js';
export {
  accuracy,
  ari,
  clusteringScores,
  contingency,
  nmi,
  type ClusteringScores,
  type Label,
} from './metrics.js';
export { seededRandom } from './random.js';
