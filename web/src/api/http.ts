import { ApiError, isAbort, NetworkError, readProblem } from './problem.ts';

export type AuthedFetchOptions = {
  /** The bearer token for the current session, or null when signed out. */
  getToken: () => string | null;
  /** Called once per 401 so the app can drop the session and send the user to login. */
  onUnauthorized: (error: ApiError) => void;
};

/**
 * A fetch for the typed client: adds the bearer token, turns transport failures into
 * `NetworkError` and every non-2xx answer into `ApiError` (problem+json), so callers of the
 * client only ever see success bodies.
 */
export function createAuthedFetch(options: AuthedFetchOptions): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('Accept', 'application/json');
    const token = options.getToken();
    if (token !== null) headers.set('Authorization', `Bearer ${token}`);

    let response: Response;
    try {
      response = await fetch(input, { ...init, headers });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new NetworkError(error);
    }
    if (response.ok) return response;

    const error = new ApiError(await readProblem(response));
    if (response.status === 401) options.onUnauthorized(error);
    throw error;
  };
}
