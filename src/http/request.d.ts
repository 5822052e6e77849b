import type { Logger } from '../log.ts';

declare global {
  namespace Express {
    interface Request {
      /** Request id: the caller's x-request-id when it is sane, else a new one. */
      id: string;
      /** Logger bound to { reqId }. */
      log: Logger;
    }
  }
}
