import { z } from 'zod';

/**
 * RFC 9457 problem details, as every ChannelKit API error is sent. Extension members (a kit
 * upload's `report`, for one) are kept for the callers that know them.
 */
export const ProblemSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type Problem = z.infer<typeof ProblemSchema>;

/** The API answered with an error status; `problem` says why. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** The request never got an answer (offline, DNS, server down, CORS). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The ChannelKit API could not be reached.', { cause });
    this.name = 'NetworkError';
  }
}

/**
 * Reads an error response as problem+json; anything else (an HTML error page from a proxy,
 * an empty body) becomes a generic problem so the UI always has a title to show.
 */
export async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    title: response.statusText || `Request failed with status ${response.status}`,
    status: response.status,
    detail: 'The server returned an unexpected response.',
    requestId: response.headers.get('x-request-id') ?? undefined,
  };
  const text = await response.text().catch(() => '');
  if (text === '') return fallback;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fallback;
  }
  const parsed = ProblemSchema.safeParse(body);
  return parsed.success ? parsed.data : fallback;
}

/**
 * Maps `errors[].path` to form field names: the API may say `name`, `/name`, `body.name`
 * or `json.name`; a form only knows `name`.
 */
export function fieldErrors(problem: Problem): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of problem.errors ?? []) {
    const segments = error.path.split(/[./]/).filter((segment) => segment !== '');
    const field = segments.at(-1) ?? '';
    if (result[field] === undefined) result[field] = error.message;
  }
  return result;
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
