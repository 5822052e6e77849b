// The packed client installs into an empty project outside the repository
// (npm pack of @tariff/pricing and @tariff/client, npm init -y, npm install of
// the tarballs) and, from there, connects to a live API instance and quotes.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { servingInstance } from '../serving/helpers.ts';

const serving = servingInstance();
const ROOT = path.join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'tariff-client-pack-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

test('npm pack, install into a fresh directory, connect and quote from the installed package', async () => {
  const tarballs = ['pricing', 'client'].map((name) => {
    const out = npm(['pack', '--json', '--pack-destination', dir], path.join(ROOT, 'packages', name));
    return path.join(dir, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
  });
  const project = path.join(dir, 'project');
  execFileSync('mkdir', [project]);
  npm(['init', '-y'], project);
  npm(['install', '--prefer-offline', ...tarballs], project);
  writeFileSync(path.join(project, 'smoke.mjs'), `
    import { Tariff, TariffError } from '@tariff/client';
    const tariff = await Tariff.connect(process.argv[2]);
    const quote = tariff.quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 1200, output_tokens: 300 } });
    let refused;
    try { tariff.quote({ provider: 'anthropic', model: 'no-such-model', usage: { input_tokens: 1, output_tokens: 1 } }); } catch (err) { refused = err instanceof TariffError ? err.code : String(err); }
    console.log(JSON.stringify({ version: tariff.version, quote, refused, price: tariff.price('openai', 'gpt-4o').model_id }));
    await tariff.close();
  `);
  // Asynchronously: the API instance it connects to runs in this process.
  const { stdout: output } = await promisify(execFile)(process.execPath, ['smoke.mjs', serving.api.baseUrl], { cwd: project, encoding: 'utf8' });
  const result = JSON.parse(output) as { version: number; quote: Record<string, unknown>; refused: string; price: string };
  const server = await fetch(`${serving.api.baseUrl}/costs/quote`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 1200, output_tokens: 300 } }),
  });
  expect(result.version).toBe(serving.api.catalog.current.version);
  expect(result.quote).toEqual(await server.json());
  expect(result.refused).toBe('unknown_model');
  expect(result.price).toBe('gpt-4o');
}, 300_000);
