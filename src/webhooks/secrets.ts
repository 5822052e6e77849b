// Webhook signing secrets: generated once, shown once, stored AES-256-GCM
// encrypted under WEBHOOK_SECRET_KEY (bound to their endpoint id, so a stored
// secret cannot be moved to another endpoint), and used to sign each delivery.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where the embedded all-in-one start keeps the key it generated: beside the data directory, like its owner file. */
export function embeddedKeyFile(config: Pick<Config, 'EMBEDDED_POSTGRES_DIR'>): string {
  return `${path.resolve(config.EMBEDDED_POSTGRES_DIR)}.webhook-key`;
}

export type KeySource = 'WEBHOOK_SECRET_KEY' | 'embedded key file';

/**
 * The key that encrypts secrets: WEBHOOK_SECRET_KEY, or, for the embedded
 * all-in-one start (no DATABASE_URL), one generated on first use and kept beside
 * the data directory. Undefined when neither applies: webhooks cannot be created
 * or signed.
 */
export function loadWebhookKey(config: Pick<Config, 'WEBHOOK_SECRET_KEY' | 'DATABASE_URL' | 'EMBEDDED_POSTGRES_DIR'>):
  { key: Buffer; source: KeySource } | undefined {
  if (config.WEBHOOK_SECRET_KEY) return { key: decodeKey(config.WEBHOOK_SECRET_KEY), source: 'WEBHOOK_SECRET_KEY' };
  if (config.DATABASE_URL) return undefined;
  const file = embeddedKeyFile(config);
  try {
    // 'wx': the API and the worker of one start may both get here; only one key is ever written.
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`could not write the webhook key file ${file}`, { cause: err });
  }
  return { key: decodeKey(readFileSync(file, 'utf8').trim()), source: 'embedded key file' };
}

function decodeKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('the webhook secret key must be 32 bytes');
  return key;
}

/** A new signing secret, as the receiver will use it (the whole string is the HMAC key). */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function encryptSecret(key: Buffer, endpointId: string, secret: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`tariff.webhook:${endpointId}`));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

export function decryptSecret(key: Buffer, endpointId: string, stored: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(`tariff.webhook:${endpointId}`));
  decipher.setAuthTag(stored.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(stored.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new Error('cannot decrypt a webhook secret: WEBHOOK_SECRET_KEY is not the key it was stored with', { cause: err });
  }
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, one v1 per secret (the current one first). */
export function signatureHeader(secrets: readonly string[], body: string, atSeconds: number): string {
  const signatures = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${atSeconds}.`).update(body).digest('hex')}`);
  return [`t=${atSeconds}`, ...signatures].join(',');
}
