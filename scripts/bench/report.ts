// The results: a table printed to the terminal and BENCHMARKS.md. The script
// owns the part of BENCHMARKS.md between the markers; prose written by hand
// outside them survives a re-run.
import { cpus, loadavg, totalmem } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';

export interface Row {
  measurement: string;
  tariff: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null: reported, no target. */
  met: boolean | null;
}

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  postgres: string;
  date: string;
  loadBefore: string;
  loadAfter: string;
}

const BEGIN = '<!-- bench:begin (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:end -->';

export async function describeMachine(postgres: string, loadBefore: string): Promise<Machine> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model.trim(),
    cores: cpus().length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    postgres,
    date: new Date().toISOString(),
    loadBefore,
    loadAfter: loadAverage(),
  };
}

export function loadAverage(): string {
  return loadavg().map((n) => n.toFixed(2)).join(' ');
}

export function metText(met: boolean | null): string {
  return met === null ? '—' : met ? 'yes' : 'NO';
}

/** The table for a terminal: columns padded to their widest cell. */
export function textTable(rows: readonly Row[]): string {
  const header = ['measurement', 'tariff', 'baseline', 'ratio', 'target', 'met?'];
  const cells = [header, ...rows.map((r) => [r.measurement, r.tariff, r.baseline, r.ratio, r.target, metText(r.met)])];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

export function resultsTable(rows: readonly Row[]): string {
  return markdownTable(['measurement', 'tariff', 'baseline', 'ratio', 'target', 'met?'],
    rows.map((r) => [r.measurement, r.tariff, r.baseline, r.ratio, r.target, metText(r.met)]));
}

/** Replaces the generated section of file (creating the file if needed), keeping what is outside the markers. */
export async function writeGenerated(file: string, generated: string): Promise<void> {
  const section = `${BEGIN}\n${generated.trim()}\n${END}`;
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  const start = existing?.indexOf(BEGIN) ?? -1;
  const end = existing?.indexOf(END) ?? -1;
  const text = existing !== undefined && start >= 0 && end > start
    ? existing.slice(0, start) + section + existing.slice(end + END.length)
    : `# Benchmarks\n\n${section}\n`;
  await writeFile(file, text);
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => (Number.isNaN(n) ? 'n/a' : n < 10 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`),
  ratio: (n: number) => `${n.toFixed(2)}×`,
  mib: (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`,
  mb: (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`,
};
