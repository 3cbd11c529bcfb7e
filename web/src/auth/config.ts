import { z } from 'zod';
import { ApiError, isAbort, NetworkError, readProblem } from '../api/problem.ts';

const AuthConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('dev') }),
  z.object({
    mode: z.literal('cognito'),
    // The contract says `https://<prefix>.auth.<region>.amazoncognito.com`; a bare host name is
    // accepted too and given its scheme, so either spelling from the deployment works.
    domain: z
      .string()
      .min(1)
      .transform((value) => (/^https?:\/\//.test(value) ? value : `https://${value}`))
      .pipe(z.url({ protocol: /^https$/ }))
      .transform((value) => new URL(value).origin),
    clientId: z.string().min(1),
    region: z.string().min(1),
  }),
]);

const PortalConfigSchema = z.object({ auth: AuthConfigSchema });

export type PortalConfig = z.infer<typeof PortalConfigSchema>;
export type CognitoConfig = Extract<PortalConfig['auth'], { mode: 'cognito' }>;

/** Fetches a public (no token) JSON document and validates it. */
export async function getPublicJson<T>(url: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { Accept: 'application/json', ...init?.headers } });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new NetworkError(error);
  }
  if (!response.ok) throw new ApiError(await readProblem(response));
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    throw new ApiError({
      title: 'Unexpected response',
      status: response.status,
      detail: `${url} did not have the expected shape.`,
    });
  }
  return parsed.data;
}

export function loadConfig(signal?: AbortSignal): Promise<PortalConfig> {
  return getPublicJson('/config.json', PortalConfigSchema, { cache: 'no-store', signal: signal ?? null });
}
