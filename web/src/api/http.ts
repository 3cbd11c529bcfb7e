import { ApiError, isAbort, NetworkError, readProblem } from './problem.ts';

export type AuthedFetchOptions = {
  /** The bearer token for the current session, or null when signed out. */
  getToken: () => string | null;
  /** Called once per 401 so the app can drop the session and send the user to login. */
  onUnauthorized: (error: ApiError) => void;
};

/** Whatever carries a request: `fetch`, or XMLHttpRequest when an upload reports progress. */
export type Transport = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const browserFetch: Transport = (input, init) => fetch(input, init);

/**
 * A fetch for the typed client: adds the bearer token, turns transport failures into
 * `NetworkError` and every non-2xx answer into `ApiError` (problem+json), so callers of the
 * client only ever see success bodies.
 */
export function createAuthedFetch(
  options: AuthedFetchOptions,
  transport: Transport = browserFetch,
): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('Accept', 'application/json');
    const token = options.getToken();
    if (token !== null) headers.set('Authorization', `Bearer ${token}`);

    let response: Response;
    try {
      response = await transport(input, { ...init, headers });
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

export type UploadProgress = { loaded: number; total: number };

function headersFrom(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * A transport over XMLHttpRequest, the one browser API that reports upload progress. It takes
 * a Blob or string body (a zip, here) and answers with an ordinary `Response`.
 */
export function xhrTransport(onProgress: (progress: UploadProgress) => void): Transport {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const { body, signal } = init;
      if (body !== undefined && body !== null && !(body instanceof Blob) && typeof body !== 'string') {
        reject(new TypeError('xhrTransport sends Blob or string bodies only'));
        return;
      }
      if (signal?.aborted) {
        reject(new DOMException('The upload was cancelled.', 'AbortError'));
        return;
      }
      const xhr = new XMLHttpRequest();
      xhr.open(init.method ?? 'GET', input instanceof Request ? input.url : String(input));
      new Headers(init.headers).forEach((value, key) => {
        xhr.setRequestHeader(key, value);
      });
      xhr.responseType = 'blob';
      xhr.upload.addEventListener('progress', (event) => {
        onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
      });
      xhr.addEventListener('load', () => {
        const empty = xhr.status === 204 || xhr.status === 304;
        resolve(
          new Response(empty ? null : xhr.response, {
            status: xhr.status,
            statusText: xhr.statusText,
            headers: headersFrom(xhr.getAllResponseHeaders()),
          }),
        );
      });
      xhr.addEventListener('error', () => reject(new TypeError('The upload failed on the network.')));
      xhr.addEventListener('abort', () =>
        reject(new DOMException('The upload was cancelled.', 'AbortError')),
      );
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(body ?? null);
    });
}
