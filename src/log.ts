// One pino logger per process; modules take a child bound to what they work on
// ({ component }, { reqId }, { task, jobId, provider }).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'tariff'): Logger {
  return pino({
    name,
    level,
    // Secrets never reach a log line, whichever object carries them.
    redact: { paths: ['*.authorization', '*.headers.authorization', '*.password', '*.connectionString'], censor: '[redacted]' },
  });
}
