// Every format tariff reads, in one list: adding a format is one module and one entry here.
import type { Format, FormatReader } from '../types.ts';
import { anthropic } from './anthropic.ts';
import { bedrockConverse } from './bedrock.ts';
import { gemini } from './gemini.ts';
import { openaiChat, openaiResponses, openrouter } from './openai.ts';

export const READERS: Readonly<Record<Format, FormatReader>> = {
  openai_chat: openaiChat,
  openai_responses: openaiResponses,
  anthropic,
  gemini,
  bedrock_converse: bedrockConverse,
  openrouter,
};
