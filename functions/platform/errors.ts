/**
 * Domain errors. Adapters turn SDK failures into these at the edge (Powertools' habit);
 * one onError maps them to RFC 9457 problem+json. The `type` slug is stable API.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `body.tier` or `query.limit`. */
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 503;
  abstract readonly type: string;
  abstract readonly title: string;
  readonly errors: FieldError[] | undefined;
  /** RFC 9457 extension members added to the problem body (e.g. a kit's validation report). */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(detail: string, errors?: FieldError[], extensions?: Record<string, unknown>) {
    super(detail);
    this.errors = errors;
    this.extensions = extensions;
  }
}

export class BadRequestError extends AppError {
  override name = 'BadRequestError';
  readonly status = 400;
  readonly type = 'bad-request';
  readonly title = 'The request is malformed';
}

export class ValidationError extends AppError {
  override name = 'ValidationError';
  readonly status = 422;
  readonly type = 'validation';
  readonly title = 'The request has invalid fields';
}

export class UnauthorizedError extends AppError {
  override name = 'UnauthorizedError';
  readonly status = 401;
  readonly type = 'unauthorized';
  readonly title = 'Authentication is required';
}

export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  readonly status = 403;
  readonly type = 'forbidden';
  readonly title = 'This role may not do that';
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  readonly status = 404;
  readonly type = 'not-found';
  readonly title = 'Not found';
}

export class ConflictError extends AppError {
  override name = 'ConflictError';
  readonly status = 409;
  readonly type = 'conflict';
  readonly title = 'The resource changed or already exists';
}

export class PreconditionFailedError extends AppError {
  override name = 'PreconditionFailedError';
  readonly status = 412;
  readonly type = 'precondition-failed';
  readonly title = 'The resource has changed since you read it';
}

export class PreconditionRequiredError extends AppError {
  override name = 'PreconditionRequiredError';
  readonly status = 428;
  readonly type = 'precondition-required';
  readonly title = 'An If-Match header is required';
}

export class PayloadTooLargeError extends AppError {
  override name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly type = 'payload-too-large';
  readonly title = 'The request body is too large';
}

export class UnsupportedMediaTypeError extends AppError {
  override name = 'UnsupportedMediaTypeError';
  readonly status = 415;
  readonly type = 'unsupported-media-type';
  readonly title = 'The request body has the wrong content type';
}

export class ThrottledError extends AppError {
  override name = 'ThrottledError';
  readonly status = 429;
  readonly type = 'throttled';
  readonly title = 'Too many requests';
}

export class UnavailableError extends AppError {
  override name = 'UnavailableError';
  readonly status = 503;
  readonly type = 'unavailable';
  readonly title = 'A dependency is unavailable; retry later';
}
