import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools): one line per event with level, service, timestamp and
 * the request id that the API returns in `x-request-id`. `POWERTOOLS_LOG_LEVEL` sets the level.
 */
export const createLogger = (serviceName: string, logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'): Logger =>
  new Logger({ serviceName, ...(logLevel ? { logLevel } : {}) });
