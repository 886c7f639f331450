import pino from 'pino';

export type Logger = pino.Logger;

/** The gateway's logger: JSON lines, with every header or field that can hold a secret redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'gateway' },
      redact: {
        paths: [
          'password', '*.password', 'token', '*.token', 'secret', '*.secret',
          'headers.authorization', 'headers.cookie', '*.headers.authorization', '*.headers.cookie',
          'env.DATABASE_URL', 'databaseUrl',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
