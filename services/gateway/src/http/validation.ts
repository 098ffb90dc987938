import { ApiError } from '@trendmill/platform';
import type { ZodType } from 'zod';

export type InputLocation = 'query' | 'params' | 'body' | 'header';

export interface FieldIssue {
  in: InputLocation;
  path: string;
  message: string;
}

/** Parses one part of a request or throws 422 `validation_failed` naming every field at fault. */
export function validateInput<T>(schema: ZodType<T>, value: unknown, where: InputLocation): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const details: FieldIssue[] = parsed.error.issues.map((issue) => ({
    in: where,
    path: issue.path.map(String).join('.') || `(${where})`,
    message: issue.message,
  }));
  throw new ApiError(
    422,
    'validation_failed',
    details.map((d) => `${d.in} ${d.path}: ${d.message}`).join('; '),
    details,
  );
}
