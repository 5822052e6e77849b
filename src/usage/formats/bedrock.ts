// Amazon Bedrock Converse: usage.inputTokens EXCLUDES cache reads and writes,
// which come as cacheReadInputTokens and cacheWriteInputTokens beside it
// (totalTokens = inputTokens + cacheReadInputTokens + cacheWriteInputTokens +
// outputTokens). cacheDetails breaks cache writes down by TTL ("5m" or "1h")
// and is empty when nothing was written; the 1h part is cache_write_1h_tokens.
// The tier that served the call is serviceTier.type: default, flex or priority
// (reserved capacity is paid for by the month, so tariff has no per-token price
// for it). A Converse response does not name its model.
import { InconsistentUsageError, unrecognised, UsageFieldError } from '../errors.ts';
import { Fields, isObject, remainder, type JsonObject, type Term } from '../read.ts';
import { mapServiceTier } from '../tier.ts';
import { makeUsage } from '../usage.ts';
import type { Claim, FormatReader, ServiceTier } from '../types.ts';

const TIERS: Readonly<Record<string, ServiceTier>> = { default: 'standard', flex: 'flex', priority: 'priority' };

function locate(body: JsonObject): { usage: JsonObject; wrapped: boolean } | null {
  const usage = isObject(body.usage) ? body.usage : body;
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return null;
  return { usage, wrapped: usage !== body };
}

export const bedrockConverse: FormatReader = {
  format: 'bedrock_converse',
  expects: 'an Amazon Bedrock Converse response or its usage object (usage.inputTokens, usage.outputTokens)',
  claim(body): Claim | null {
    return locate(body) ? { level: 'sure', because: 'its usage has inputTokens or outputTokens' } : null;
  },
  read(body) {
    const located = locate(body);
    if (!located) unrecognised(this);
    const usage = new Fields(located.usage, located.wrapped ? 'usage' : '');
    const written = usage.count('cacheWriteInputTokens');
    const details = usage.list('cacheDetails');
    let oneHour: Term = { value: 0, field: `${usage.field('cacheDetails')}[1h]` };
    let perTtl = 0;
    for (const { item } of details) {
      const ttl = item.string('ttl');
      const count = item.count('inputTokens');
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
    const tier = located.wrapped ? new Fields(body, '').child('serviceTier') : null;
    return {
      format: 'bedrock_converse',
      model: null,
      usage: makeUsage({
        input_tokens: usage.count('inputTokens').value,
        cache_read_tokens: usage.count('cacheReadInputTokens').value,
        cache_write_tokens: remainder(written, oneHour),
        cache_write_1h_tokens: oneHour.value,
        output_tokens: usage.count('outputTokens').value,
      }),
      service_tier: tier ? mapServiceTier(tier.string('type'), tier.field('type'), TIERS) : null,
      reported_cost_usd: null,
    };
  },
};
