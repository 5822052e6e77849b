// `.env` in the working directory, read when present before the configuration
// is parsed; a variable already set in the environment wins over it. Read here
// rather than by node's --env-file-if-exists, which reports a missing file on
// every start.
import { existsSync } from 'node:fs';

export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
