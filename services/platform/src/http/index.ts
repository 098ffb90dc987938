export {
  ApiError,
  apiErrorHandler,
  jsonBody,
  notFound,
  requireApiKey,
  sendError,
  validateBody,
  type ApiErrorBody,
} from './api.js';
