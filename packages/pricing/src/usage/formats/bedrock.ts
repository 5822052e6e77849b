// Amazon Bedrock Converse: usage.inputTokens EXCLUDES cache reads and writes,
// which come as cacheReadInputTokens and cacheWriteInputTokens beside it
// (totalTokens = inputTokens + cacheReadInputTokens + cacheWriteInputTokens +
// outputTokens). cacheDetails breaks cache writes down by TTL ("5m" or "1h")
// and is empty when nothing was written; the 1h part is cache_write_1h_tokens.
// The tier that served the call is serviceTier.type: default, flex or priority
// (reserved capacity is paid for by the month, so tariff has no per-token price
// for it). A Converse response does not name its model.
import { InconsistentUsageError, unrecognised, UsageFieldError } from '../errors.ts';
import { Fields, remainder, usageObject, type JsonObject, type Term } from '../read.ts';
import { mapServiceTier } from '../tier.ts';
import type { Claim, FormatReader, ServiceTier } from '../types.ts';

const TIERS: ReadonlyMap<string, ServiceTier> = new Map([['default', 'standard'], ['flex', 'flex'], ['priority', 'priority']]);

/** The usage object (the body's `usage`, or the body itself), or null when it has neither count. */
function usageOf(body: JsonObject): JsonObject | null {
  const usage = usageObject(body);
  return usage.inputTokens === undefined && usage.outputTokens === undefined ? null : usage;
}

const CONVERSE_COUNTS: Claim = { level: 'sure', because: 'its usage has inputTokens or outputTokens' };

export const bedrockConverse: FormatReader = {
  format: 'bedrock_converse',
  expects: 'an Amazon Bedrock Converse response or its usage object (usage.inputTokens, usage.outputTokens)',
  claim(body): Claim | null {
    return usageOf(body) ? CONVERSE_COUNTS : null;
  },
  read(body) {
    const raw = usageOf(body);
    if (!raw) unrecognised(this);
    const wrapped = raw !== body;
    const usage = new Fields(raw, wrapped ? 'usage' : '');
    const written = usage.count('cacheWriteInputTokens', raw.cacheWriteInputTokens);
    const details = usage.list('cacheDetails', raw.cacheDetails);
    let oneHour: Term = { value: 0, field: `${usage.field('cacheDetails')}[1h]` };
    let perTtl = 0;
    for (const item of details) {
      const ttl = item.string('ttl', item.raw.ttl);
      const count = item.count('inputTokens', item.raw.inputTokens);
      if (ttl !== '5m' && ttl !== '1h') throw new UsageFieldError(item.field('ttl'), `expected "5m" or "1h", got ${JSON.stringify(ttl)}`);
      if (ttl === '1h') oneHour = { value: oneHour.value + count.value, field: oneHour.field };
      perTtl += count.value;
    }
    if (details.length > 0 && perTtl !== written.value) {
      throw new InconsistentUsageError(
        `${written.field} (${written.value}) is not the sum of ${usage.field('cacheDetails')}[].inputTokens (${perTtl})`,
        [written.field, usage.field('cacheDetails')],
      );
    }
    const tier = wrapped ? new Fields(body, '').child('serviceTier', body.serviceTier) : null;
    return {
      format: 'bedrock_converse',
      model: null,
      counts: {
        input_tokens: usage.count('inputTokens', raw.inputTokens).value,
        cache_read_tokens: usage.count('cacheReadInputTokens', raw.cacheReadInputTokens).value,
        cache_write_tokens: remainder(written, oneHour),
        cache_write_1h_tokens: oneHour.value,
        output_tokens: usage.count('outputTokens', raw.outputTokens).value,
      },
      service_tier: tier ? mapServiceTier(tier, 'type', tier.raw.type, TIERS) : null,
      reported_cost_usd: null,
    };
  },
};
