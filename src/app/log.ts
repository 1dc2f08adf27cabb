import pino from 'pino';

/**
 * Structured logs. Parents write about health, money and family trouble, so message text and profile data
 * are never logged by default: callers log ids, kinds and counts. Paths below are redacted in case an
 * object carrying them is logged anyway. LOG_LEVEL=debug is for local use only.
 */
export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}) {
  return pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      base: undefined,
      redact: {
        paths: [
          'text',
          '*.text',
          'message.text',
          '*.message.text',
          'body',
          'req.body',
          'displayName',
          '*.displayName',
          'headers.authorization',
          '*.headers.authorization',
          'channelSecret',
          'channelAccessToken',
        ],
        censor: '[redacted]',
      },
    },
    opts.destination,
  );
}
export type Logger = pino.Logger;
