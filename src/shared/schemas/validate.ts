// Schema failures as typed errors: `{ code: 'bad_request', message, details: [{ path, expected }] }`. The message
// and details name the field and what was expected, never the value received (at most a short excerpt of it).
import type { z } from 'zod';
import { clip, excerpt, RpcError, type ErrorDetail } from '../rpc.js';

const MAX_DETAILS = 10;

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'too_big':
      return `${issue.origin} ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
    case 'too_small':
      return `${issue.origin} ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `no field ${issue.keys.slice(0, 5).map((k) => `"${clip(k, 30)}"`).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? clip(issue.message, 80) : issue.format;
    case 'invalid_union':
      return 'nothing, null or {}';
    default:
      return clip(issue.message, 80);
  }
}

/** Parses `value` with `schema`, or throws a `bad_request` RpcError naming each failing field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details: ErrorDetail[] = r.error.issues.slice(0, MAX_DETAILS).map((i) => ({
    path: i.path.length ? i.path.map((p) => clip(String(p), 30)).join('.') : '(arguments)',
    expected: expectedOf(i),
  }));
  const first = details[0]!;
  const got = first.path === '(arguments)' ? ` (got ${excerpt(value)})` : '';
  throw new RpcError('bad_request', `${what}: ${first.path} must be ${first.expected}${got}`, details);
}
