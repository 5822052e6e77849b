// GET /costs/changes: the catalog's change stream (Server-Sent Events; see
// ../change_stream.ts). A client resumes with Last-Event-ID, or ?since=.
import { Router } from 'express';
import { catalogVersion, changesQuery } from '@tariff/pricing';
import type { ChangeStream } from '../change_stream.ts';
import { parseInput } from '../../http/errors.ts';

export function changesRouter(stream: ChangeStream): Router {
  const router = Router();

  router.get('/costs/changes', async (req, res) => {
    const query = parseInput(changesQuery, req.query, 'query');
    const lastEventId = req.get('last-event-id');
    const since = lastEventId === undefined ? query.since : parseInput(catalogVersion, lastEventId.trim(), 'query');
    await stream.subscribe(req, res, req.id, since);
  });

  return router;
}
