import type { Request, Response } from 'express';
import type { ZodObject, ZodType } from 'zod';
import type { Scope } from '../auth/scopes.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** The validated request headers named by the route's `headers` schema (empty without one). */
  headers: Record<string, unknown>;
  /** The request id, passed on as the correlation id. */
  correlationId: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** A JSON answer; a handler that wrote the response itself (a proxied one) returns undefined. */
export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  schema?: ZodType;
  /** Media type of the schema (default `application/json`; the SSE stream is `text/event-stream`). */
  contentType?: string;
}

/**
 * One route of the public API. The router and the OpenAPI document are both built from the list
 * of these, so a route cannot exist without being documented, nor be documented without existing.
 */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** Express path relative to /api/v1, e.g. `/clusters/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  scope: Scope;
  params?: ZodObject;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** Request headers the route reads (lower-case names), validated and documented like the query. */
  headers?: ZodObject;
  /** Success responses (the error responses every route shares are added by the document). */
  responses: Record<number, ResponseSpec>;
  /** Cached in the response cache until a cluster changes. */
  cached?: boolean;
  handle(context: RouteContext<P, Q, B>): Promise<Reply | undefined>;
}

/** Keeps each route's types checked while the list holds routes of different types. */
export function route<P, Q, B>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** `/clusters/:id` → `/clusters/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}
