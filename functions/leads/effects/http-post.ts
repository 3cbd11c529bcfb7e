import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkWebhookUrl, guardedLookup, type UrlPolicy } from './url-guard';

/**
 * The outbound HTTP adapter of CRM webhooks: one JSON POST, no redirects followed (a 3xx is not
 * a delivery), a hard timeout on the whole exchange (AbortSignal), at most `maxResponseBytes` of
 * the answer kept for the log. It never throws: every outcome is a result for the delivery log.
 *
 * Why node:http(s) rather than `fetch`: `fetch` resolves the host itself and offers no hook to
 * check the addresses it connects to, so an accepted name could be re-pointed at 127.0.0.1
 * between our check and its connection. Here the socket's own `lookup` is the guard.
 */
export interface PostResult {
  /** The CRM's HTTP status; null when no answer came. */
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

export type PostJson = (url: string, body: string, headers: Record<string, string>) => Promise<PostResult>;

export interface HttpPostOptions {
  timeoutMs: number;
  policy: UrlPolicy;
  maxResponseBytes?: number;
  now?: () => number;
}

export const RESPONSE_LOG_BYTES = 1024;
const USER_AGENT = 'ChannelKit-Webhooks/1.0';

const readSome = (response: IncomingMessage, limit: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk.subarray(0, limit - size));
      size += chunk.length;
      // Enough for the log: stop reading a large answer instead of waiting for all of it.
      if (size >= limit) response.destroy();
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', (error) =>
      size >= limit ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(error),
    );
  });

const describe = (error: unknown, timeoutMs: number): string => {
  if (error instanceof Error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError')
      return `no answer within ${timeoutMs} ms`;
    const code = Reflect.get(error, 'code');
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
};

/** Sends the request and resolves with the answer's head; rejects on no answer. */
const exchange = (
  target: URL,
  body: string,
  headers: Record<string, string>,
  policy: UrlPolicy,
  signal: AbortSignal,
): Promise<IncomingMessage> =>
  new Promise<IncomingMessage>((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': USER_AGENT,
        },
        lookup: guardedLookup(policy),
        signal,
      },
      resolve,
    );
    req.on('error', reject);
    req.end(body);
  });

export const httpPoster =
  (options: HttpPostOptions): PostJson =>
  async (url, body, headers) => {
    const now = options.now ?? (() => performance.now());
    const started = now();
    const elapsed = () => Math.max(0, Math.round(now() - started));
    const checked = checkWebhookUrl(url, options.policy);
    if (!checked.ok) {
      return { statusCode: null, durationMs: 0, error: `refused: ${checked.reason}`, responseBody: null };
    }
    const signal = AbortSignal.timeout(options.timeoutMs);
    const failure = (error: unknown) => describe(signal.aborted ? signal.reason : error, options.timeoutMs);
    let response: IncomingMessage;
    try {
      response = await exchange(checked.url, body, headers, options.policy, signal);
    } catch (error) {
      return { statusCode: null, durationMs: elapsed(), error: failure(error), responseBody: null };
    }
    // The status decides the outcome; a body that stalls past the timeout is only noted.
    let text = '';
    let readError: string | null = null;
    try {
      text = await readSome(response, options.maxResponseBytes ?? RESPONSE_LOG_BYTES);
    } catch (error) {
      readError = `the answer's body: ${failure(error)}`;
    }
    return {
      statusCode: response.statusCode ?? null,
      durationMs: elapsed(),
      error: readError,
      responseBody: text === '' ? null : text,
    };
  };
