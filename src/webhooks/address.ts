// Where a webhook may be sent. A URL must be https (http only with
// WEBHOOK_ALLOW_HTTP) and must not reach loopback, private, link-local,
// carrier-grade NAT, multicast or cloud metadata addresses (unless
// WEBHOOK_ALLOW_PRIVATE). Checked twice: on the URL when an endpoint is saved
// (literal addresses, obviously internal names), and on every address the host
// resolves to at delivery time, where the connection goes to the address that
// was checked, so a DNS change after the check cannot redirect it.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface AddressPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
}

const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) forbidden.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 32], ['2001:db8::', 32],
  ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) forbidden.addSubnet(network, prefix, 'ipv6');

/** Names that only ever mean this machine or an internal network. */
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/i;

/** True for an address a webhook must not reach (IPv4-mapped IPv6 is judged by its IPv4 address). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return forbidden.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? mappedHex(address);
  return mapped ? forbidden.check(mapped, 'ipv4') : forbidden.check(address, 'ipv6');
}

/** ::ffff:7f00:1 → 127.0.0.1 */
function mappedHex(address: string): string | undefined {
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!match) return undefined;
  const high = parseInt(match[1]!, 16);
  const low = parseInt(match[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Why a URL may not be a webhook endpoint, or undefined when it may. */
export function urlProblem(text: string, policy: AddressPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return policy.allowHttp ? 'must be an http or https URL' : 'must be an https URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  if (policy.allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (isIP(host)) return isForbiddenAddress(host) ? `must not point to a private, loopback, link-local or metadata address (${host})` : undefined;
  // WHATWG URL parsing already turned decimal, octal and hex IPv4 forms (http://2130706433/) into dotted quads.
  if (!host.includes('.') || INTERNAL_NAMES.test(host)) return `must not point to an internal host name (${host})`;
  return undefined;
}

export class ForbiddenAddressError extends Error {
  override name = 'ForbiddenAddressError';
  readonly code = 'ERR_WEBHOOK_FORBIDDEN_ADDRESS';
}

/**
 * A dns.lookup for net/tls.connect that fails when any address the host
 * resolves to is forbidden, and otherwise hands back exactly the checked
 * addresses, which the socket then connects to.
 */
export function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => isForbiddenAddress(a.address));
      if (refused) {
        return callback(new ForbiddenAddressError(`${hostname} resolves to ${refused.address}, a private, loopback, link-local or metadata address`), '', 0);
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return callback(null, addresses);
      const [first] = addresses as [LookupAddress];
      callback(null, first.address, first.family);
    });
  };
}
