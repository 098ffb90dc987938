// The error shape and helpers every Trendmill HTTP API shares live in the platform package.
export { ApiError, sendError, type ApiErrorBody } from '@trendmill/platform';
