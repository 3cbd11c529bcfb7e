import { hc, type PickResponseByStatusCode } from 'hono/client';
import type { AppType } from './app-type.ts';

// Errors never reach callers as responses (the fetch throws ApiError instead), so the client
// only needs to know the success shapes.
type SuccessApp = PickResponseByStatusCode<AppType, 200 | 201>;

export function createApiClient(fetchImpl: typeof fetch) {
  return hc<SuccessApp>(window.location.origin, { fetch: fetchImpl });
}

export type ApiClient = ReturnType<typeof createApiClient>;
