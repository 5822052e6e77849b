// Where the repository and the real upstream payloads (checked out beside it) are.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const UPSTREAM_FIXTURES = path.resolve(REPO_ROOT, '../shared/fixtures/upstream');
