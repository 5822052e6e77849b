// Bearer-token guard for /admin. Missing token → 401, wrong token → 403; with
// no ADMIN_TOKEN configured every request is refused: the admin API is never open.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../http/errors.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function requireAdmin(adminToken: string | undefined): RequestHandler {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return (req, _res, next) => {
    if (!expected) {
      throw new AppError(403, 'admin_disabled', 'the admin API is disabled: ADMIN_TOKEN is not configured');
    }
    const header = req.get('authorization');
    if (!header) {
      throw new AppError(401, 'unauthorized', 'authorization: a Bearer token is required', undefined, { 'WWW-Authenticate': 'Bearer' });
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // Comparing fixed-length digests keeps the time independent of where the tokens differ, and of their lengths.
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      throw new AppError(403, 'forbidden', 'authorization: the token is not valid');
    }
    next();
  };
}
