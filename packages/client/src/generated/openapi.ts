// Generated from tariff's OpenAPI document (GET /openapi.json) by openapi-typescript:
// do not edit; run `npm run client:types` after changing src/api/openapi.ts.
export interface paths {
    "/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The catalog, grouped by provider; with since, the changes after a version */
        get: {
            parameters: {
                query?: {
                    provider?: string;
                    currency?: string;
                    at?: string;
                    since?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The catalog; with since, the delta (CatalogDelta) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never> | components["schemas"]["CatalogDelta"];
                    };
                };
                /** @description Unchanged since If-None-Match */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description since: the changes after that version cannot be computed; load everything with since=0 */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/costs/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The catalog's change stream (Server-Sent Events)
         * @description One event per committed catalog version, as this instance loads it: `catalog` (id: the version) `{version, previous, changed: [{provider, model_id}], removed: [{provider, model_id}]}`, coalesced when the client was behind; `fx` `{version, rates}` when a version changed the exchange rates; `reset` (id: the version) `{version, reason}` when the changes since the client's version cannot be computed: load everything (GET /costs?since=0). Comment lines are heartbeats. A client that does not read is disconnected; streams end on shutdown. Resume with Last-Event-ID or ?since=.
         */
        get: {
            parameters: {
                query?: {
                    since?: string;
                };
                header?: {
                    /** @description The last catalog version received: resume after it (wins over since). */
                    "Last-Event-ID"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream: catalog, fx and reset events, and comment heartbeats */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/costs/{provider}/{model}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One model, resolved as callers spell it */
        get: {
            parameters: {
                query?: {
                    currency?: string;
                    at?: string;
                };
                header?: never;
                path: {
                    /** @description Provider id */
                    provider: string;
                    /** @description Model id; may contain / */
                    model: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The model's price record with matched_by */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PriceRecord"];
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/costs/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exact cost of a call, or of up to 1,000 calls */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        provider: string;
                        model?: string;
                        usage?: {
                            /** @description Text prompt tokens not read from or written to the cache. */
                            input_tokens: number;
                            /** @description Audio prompt tokens (not cached). Priced per 1M tokens. */
                            input_audio_tokens?: number;
                            /** @description Image prompt tokens (not cached). Priced per 1M tokens. */
                            input_image_tokens?: number;
                            /** @description Video prompt tokens (not cached). Priced per 1M tokens. */
                            input_video_tokens?: number;
                            /** @description Prompt tokens read from the cache (text, or any modality without a price of its own). Priced per 1M tokens. */
                            cache_read_tokens?: number;
                            /** @description Audio prompt tokens read from the cache. Priced per 1M tokens. */
                            cache_read_audio_tokens?: number;
                            /** @description Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Priced per 1M tokens. */
                            cache_write_tokens?: number;
                            /** @description Prompt tokens written to the cache with a 1-hour lifetime. Priced per 1M tokens. */
                            cache_write_1h_tokens?: number;
                            /**
                             * @description Text output tokens, reasoning excluded. 0 when absent (an embedding call has no output).
                             * @default 0
                             */
                            output_tokens?: number;
                            /** @description Reasoning (thinking) output tokens. Priced per 1M tokens. */
                            reasoning_tokens?: number;
                            /** @description Audio output tokens. Priced per 1M tokens. */
                            output_audio_tokens?: number;
                            /** @description Image output tokens. Priced per 1M tokens. */
                            output_image_tokens?: number;
                            /** @description Calls made; a per-request fee. Priced per request. */
                            requests?: number;
                            /** @description Web searches the model ran. Priced per search request. */
                            web_search_requests?: number;
                            /** @description Images generated. Priced per image. */
                            images?: number;
                            /** @description Images sent as input, where priced per image. Priced per image. */
                            input_images?: number;
                            /** @description Seconds of input media (audio transcription, provisioned time). Priced per second. */
                            input_seconds?: number;
                            /** @description Seconds of generated media. Priced per second. */
                            output_seconds?: number;
                            /** @description Seconds of input audio. Priced per second. */
                            input_audio_seconds?: number;
                            /** @description Seconds of input video. Priced per second. */
                            input_video_seconds?: number;
                            /** @description Seconds of generated video. Priced per second. */
                            output_video_seconds?: number;
                            /** @description Characters of input text, where priced per character. Priced per character. */
                            input_characters?: number;
                            /** @description Characters of output text, where priced per character. Priced per character. */
                            output_characters?: number;
                            /**
                             * @description The service tier the call ran on: a price variant of the model (standard by default).
                             * @enum {string}
                             */
                            service_tier?: "standard" | "flex" | "priority" | "batch";
                        };
                        /** @description The provider's response body, or just its usage object, instead of `usage`. */
                        response?: {
                            [key: string]: unknown;
                        };
                        /**
                         * @description The response's format; detected from its shape when absent.
                         * @enum {string}
                         */
                        format?: "openai_chat" | "openai_responses" | "anthropic" | "gemini" | "bedrock_converse" | "openrouter";
                        /**
                         * @description With a response: the service tier the call ran on, over what the response says (an OpenAI Batch output line says "default").
                         * @enum {string}
                         */
                        service_tier?: "standard" | "flex" | "priority" | "batch";
                        /** Format: date-time */
                        at?: string;
                        currency?: string;
                    } | {
                        provider: string;
                        model?: string;
                        usage?: {
                            /** @description Text prompt tokens not read from or written to the cache. */
                            input_tokens: number;
                            /** @description Audio prompt tokens (not cached). Priced per 1M tokens. */
                            input_audio_tokens?: number;
                            /** @description Image prompt tokens (not cached). Priced per 1M tokens. */
                            input_image_tokens?: number;
                            /** @description Video prompt tokens (not cached). Priced per 1M tokens. */
                            input_video_tokens?: number;
                            /** @description Prompt tokens read from the cache (text, or any modality without a price of its own). Priced per 1M tokens. */
                            cache_read_tokens?: number;
                            /** @description Audio prompt tokens read from the cache. Priced per 1M tokens. */
                            cache_read_audio_tokens?: number;
                            /** @description Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Priced per 1M tokens. */
                            cache_write_tokens?: number;
                            /** @description Prompt tokens written to the cache with a 1-hour lifetime. Priced per 1M tokens. */
                            cache_write_1h_tokens?: number;
                            /**
                             * @description Text output tokens, reasoning excluded. 0 when absent (an embedding call has no output).
                             * @default 0
                             */
                            output_tokens?: number;
                            /** @description Reasoning (thinking) output tokens. Priced per 1M tokens. */
                            reasoning_tokens?: number;
                            /** @description Audio output tokens. Priced per 1M tokens. */
                            output_audio_tokens?: number;
                            /** @description Image output tokens. Priced per 1M tokens. */
                            output_image_tokens?: number;
                            /** @description Calls made; a per-request fee. Priced per request. */
                            requests?: number;
                            /** @description Web searches the model ran. Priced per search request. */
                            web_search_requests?: number;
                            /** @description Images generated. Priced per image. */
                            images?: number;
                            /** @description Images sent as input, where priced per image. Priced per image. */
                            input_images?: number;
                            /** @description Seconds of input media (audio transcription, provisioned time). Priced per second. */
                            input_seconds?: number;
                            /** @description Seconds of generated media. Priced per second. */
                            output_seconds?: number;
                            /** @description Seconds of input audio. Priced per second. */
                            input_audio_seconds?: number;
                            /** @description Seconds of input video. Priced per second. */
                            input_video_seconds?: number;
                            /** @description Seconds of generated video. Priced per second. */
                            output_video_seconds?: number;
                            /** @description Characters of input text, where priced per character. Priced per character. */
                            input_characters?: number;
                            /** @description Characters of output text, where priced per character. Priced per character. */
                            output_characters?: number;
                            /**
                             * @description The service tier the call ran on: a price variant of the model (standard by default).
                             * @enum {string}
                             */
                            service_tier?: "standard" | "flex" | "priority" | "batch";
                        };
                        /** @description The provider's response body, or just its usage object, instead of `usage`. */
                        response?: {
                            [key: string]: unknown;
                        };
                        /**
                         * @description The response's format; detected from its shape when absent.
                         * @enum {string}
                         */
                        format?: "openai_chat" | "openai_responses" | "anthropic" | "gemini" | "bedrock_converse" | "openrouter";
                        /**
                         * @description With a response: the service tier the call ran on, over what the response says (an OpenAI Batch output line says "default").
                         * @enum {string}
                         */
                        service_tier?: "standard" | "flex" | "priority" | "batch";
                        /** Format: date-time */
                        at?: string;
                        currency?: string;
                    }[];
                };
            };
            responses: {
                /** @description The quote (or {count, results} for a batch), as ASCII JSON: non-ASCII characters in ids and names come as \u escapes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/costs/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model's price changes, newest first */
        get: {
            parameters: {
                query: {
                    provider: string;
                    model: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Changes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/costs/discrepancies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest cross-source price comparison, per model and dimension */
        get: {
            parameters: {
                query?: {
                    provider?: string;
                    dimension?: "input_tokens" | "input_audio_tokens" | "input_image_tokens" | "input_video_tokens" | "cache_read_tokens" | "cache_read_audio_tokens" | "cache_write_tokens" | "cache_write_1h_tokens" | "output_tokens" | "reasoning_tokens" | "output_audio_tokens" | "output_image_tokens" | "requests" | "web_search_requests" | "images" | "input_images" | "input_seconds" | "output_seconds" | "input_audio_seconds" | "input_video_seconds" | "output_video_seconds" | "input_characters" | "output_characters";
                    min_spread?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description {generated_at, catalog_version, summary, items, unmatched} */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Process alive */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description ok */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ready to serve (or degraded: serving from memory) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description ready or degraded */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description not ready */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OpenAPI 3.1 */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/plain exposition format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/pricing-sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enqueue sync_provider jobs */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        providers?: string[];
                        /** @default false */
                        dry_run?: boolean;
                        /** @default false */
                        force?: boolean;
                    };
                };
            };
            responses: {
                /** @description {jobs: [{provider, job_id}]} */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/fx-refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enqueue a refresh_fx job */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @default false */
                        force?: boolean;
                    };
                };
            };
            responses: {
                /** @description {jobs} */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/pricing-sync/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sync log, newest first */
        get: {
            parameters: {
                query?: {
                    provider?: string;
                    status?: "in_progress" | "success" | "failed" | "rejected";
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description {entries} */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/pricing-sync/log/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One sync with its price changes */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Sync log id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The entry */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/prices/{provider}/{model}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a manual price override */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Provider id */
                    provider: string;
                    /** @description Model id */
                    model: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                        /**
                         * @default priced
                         * @enum {string}
                         */
                        state?: "priced" | "free" | "dynamic" | "unpriced";
                        input_cost_per_1m_tokens?: (string | number) | null;
                        output_cost_per_1m_tokens?: (string | number) | null;
                        cache_read_cost_per_1m_tokens?: (string | number) | null;
                        cache_write_cost_per_1m_tokens?: (string | number) | null;
                        reasoning_cost_per_1m_tokens?: (string | number) | null;
                        /** @description Prices in the other dimensions, by unit id (GET /costs `units` gives each one's unit). */
                        prices?: {
                            [key: string]: string | number;
                        };
                        request_cost?: (string | number) | null;
                        tiers?: {
                            above_input_tokens: number;
                            input_cost_per_1m_tokens?: (string | number) | null;
                            output_cost_per_1m_tokens?: (string | number) | null;
                            cache_read_cost_per_1m_tokens?: (string | number) | null;
                            cache_write_cost_per_1m_tokens?: (string | number) | null;
                            reasoning_cost_per_1m_tokens?: (string | number) | null;
                            /** @description Prices in the other dimensions, by unit id (GET /costs `units` gives each one's unit). */
                            prices?: {
                                [key: string]: string | number;
                            };
                        }[];
                    };
                };
            };
            responses: {
                /** @description Old and new price */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Remove a manual price override */
        delete: {
            parameters: {
                query?: {
                    reason?: string;
                };
                header?: never;
                path: {
                    /** @description Provider id */
                    provider: string;
                    /** @description Model id */
                    model: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every webhook endpoint */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description {webhooks} */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Register a webhook endpoint; the answer carries its signing secret, shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        url: string;
                        events: ("price.changed" | "sync.failed" | "sync.rejected" | "fx.changed" | "discrepancy.found")[];
                        providers?: string[] | null;
                        description?: string | null;
                    };
                };
            };
            responses: {
                /** @description The endpoint with its secret */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One endpoint with its recent deliveries */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Webhook id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Remove an endpoint and its pending deliveries */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Webhook id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change an endpoint (url, events, providers, description, enabled) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Webhook id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        url?: string;
                        events?: ("price.changed" | "sync.failed" | "sync.rejected" | "fx.changed" | "discrepancy.found")[];
                        providers?: string[] | null;
                        description?: string | null;
                        enabled?: boolean;
                    };
                };
            };
            responses: {
                /** @description The endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/admin/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new signing secret; the old one also signs for WEBHOOK_SECRET_ROTATION_SECONDS */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Webhook id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The endpoint with its new secret */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a ping delivery */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Webhook id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description {event_id, delivery_id} */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An endpoint's deliveries, newest first */
        get: {
            parameters: {
                query?: {
                    status?: "pending" | "delivered" | "failed" | "cancelled";
                    limit?: number;
                };
                header?: never;
                path: {
                    /** @description Webhook id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description {deliveries} */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/webhooks/{id}/deliveries/{delivery}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again, as a new delivery of the same event */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Webhook id */
                    id: string;
                    /** @description Delivery id */
                    delivery: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description {event_id, delivery_id} */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description JSON error naming the problem */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A model's served price. The original fields (input_cost_per_1m_tokens …) are kept as they were; `prices` holds every dimension. */
        PriceRecord: {
            model_id?: string;
            name?: string | null;
            /**
             * @description dynamic and unpriced models carry null prices, never 0.
             * @enum {unknown}
             */
            state?: "priced" | "free" | "dynamic" | "unpriced";
            /** @description USD per 1M tokens: Text prompt tokens not read from or written to the cache. (= prices.input_tokens). */
            input_cost_per_1m_tokens?: string | null;
            /** @description USD per 1M tokens: Text output tokens, reasoning excluded. (= prices.output_tokens). */
            output_cost_per_1m_tokens?: string | null;
            /** @description USD per 1M tokens: Prompt tokens read from the cache (text, or any modality without a price of its own). (= prices.cache_read_tokens). */
            cache_read_cost_per_1m_tokens?: string | null;
            /** @description USD per 1M tokens: Prompt tokens written to the cache with a 5-minute or unspecified lifetime. (= prices.cache_write_tokens). */
            cache_write_cost_per_1m_tokens?: string | null;
            /** @description USD per 1M tokens: Reasoning (thinking) output tokens. (= prices.reasoning_tokens). */
            reasoning_cost_per_1m_tokens?: string | null;
            /** @description USD per request: Calls made; a per-request fee. (= prices.requests). */
            request_cost?: string | null;
            /** @description Long-context tiers: above above_input_tokens prompt tokens, the tier's prices replace the base prices for the whole request. */
            tiers?: {
                above_input_tokens?: number;
                /** @description Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent. */
                prices?: {
                    /** @description USD per 1M tokens. Text prompt tokens not read from or written to the cache. */
                    input_tokens?: string;
                    /** @description USD per 1M tokens. Audio prompt tokens (not cached). Part of input_tokens. */
                    input_audio_tokens?: string;
                    /** @description USD per 1M tokens. Image prompt tokens (not cached). Part of input_tokens. */
                    input_image_tokens?: string;
                    /** @description USD per 1M tokens. Video prompt tokens (not cached). Part of input_tokens. */
                    input_video_tokens?: string;
                    /** @description USD per 1M tokens. Prompt tokens read from the cache (text, or any modality without a price of its own). Part of input_tokens. */
                    cache_read_tokens?: string;
                    /** @description USD per 1M tokens. Audio prompt tokens read from the cache. Part of cache_read_tokens. */
                    cache_read_audio_tokens?: string;
                    /** @description USD per 1M tokens. Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Part of input_tokens. */
                    cache_write_tokens?: string;
                    /** @description USD per 1M tokens. Prompt tokens written to the cache with a 1-hour lifetime. Part of cache_write_tokens. */
                    cache_write_1h_tokens?: string;
                    /** @description USD per 1M tokens. Text output tokens, reasoning excluded. */
                    output_tokens?: string;
                    /** @description USD per 1M tokens. Reasoning (thinking) output tokens. Part of output_tokens. */
                    reasoning_tokens?: string;
                    /** @description USD per 1M tokens. Audio output tokens. Part of output_tokens. */
                    output_audio_tokens?: string;
                    /** @description USD per 1M tokens. Image output tokens. Part of output_tokens. */
                    output_image_tokens?: string;
                    /** @description USD per request. Calls made; a per-request fee. */
                    requests?: string;
                    /** @description USD per search request. Web searches the model ran. */
                    web_search_requests?: string;
                    /** @description USD per image. Images generated. */
                    images?: string;
                    /** @description USD per image. Images sent as input, where priced per image. */
                    input_images?: string;
                    /** @description USD per second. Seconds of input media (audio transcription, provisioned time). */
                    input_seconds?: string;
                    /** @description USD per second. Seconds of generated media. */
                    output_seconds?: string;
                    /** @description USD per second. Seconds of input audio. */
                    input_audio_seconds?: string;
                    /** @description USD per second. Seconds of input video. */
                    input_video_seconds?: string;
                    /** @description USD per second. Seconds of generated video. */
                    output_video_seconds?: string;
                    /** @description USD per character. Characters of input text, where priced per character. */
                    input_characters?: string;
                    /** @description USD per character. Characters of output text, where priced per character. */
                    output_characters?: string;
                };
            }[];
            /** @description Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent. */
            prices?: {
                /** @description USD per 1M tokens. Text prompt tokens not read from or written to the cache. */
                input_tokens?: string;
                /** @description USD per 1M tokens. Audio prompt tokens (not cached). Part of input_tokens. */
                input_audio_tokens?: string;
                /** @description USD per 1M tokens. Image prompt tokens (not cached). Part of input_tokens. */
                input_image_tokens?: string;
                /** @description USD per 1M tokens. Video prompt tokens (not cached). Part of input_tokens. */
                input_video_tokens?: string;
                /** @description USD per 1M tokens. Prompt tokens read from the cache (text, or any modality without a price of its own). Part of input_tokens. */
                cache_read_tokens?: string;
                /** @description USD per 1M tokens. Audio prompt tokens read from the cache. Part of cache_read_tokens. */
                cache_read_audio_tokens?: string;
                /** @description USD per 1M tokens. Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Part of input_tokens. */
                cache_write_tokens?: string;
                /** @description USD per 1M tokens. Prompt tokens written to the cache with a 1-hour lifetime. Part of cache_write_tokens. */
                cache_write_1h_tokens?: string;
                /** @description USD per 1M tokens. Text output tokens, reasoning excluded. */
                output_tokens?: string;
                /** @description USD per 1M tokens. Reasoning (thinking) output tokens. Part of output_tokens. */
                reasoning_tokens?: string;
                /** @description USD per 1M tokens. Audio output tokens. Part of output_tokens. */
                output_audio_tokens?: string;
                /** @description USD per 1M tokens. Image output tokens. Part of output_tokens. */
                output_image_tokens?: string;
                /** @description USD per request. Calls made; a per-request fee. */
                requests?: string;
                /** @description USD per search request. Web searches the model ran. */
                web_search_requests?: string;
                /** @description USD per image. Images generated. */
                images?: string;
                /** @description USD per image. Images sent as input, where priced per image. */
                input_images?: string;
                /** @description USD per second. Seconds of input media (audio transcription, provisioned time). */
                input_seconds?: string;
                /** @description USD per second. Seconds of generated media. */
                output_seconds?: string;
                /** @description USD per second. Seconds of input audio. */
                input_audio_seconds?: string;
                /** @description USD per second. Seconds of input video. */
                input_video_seconds?: string;
                /** @description USD per second. Seconds of generated video. */
                output_video_seconds?: string;
                /** @description USD per character. Characters of input text, where priced per character. */
                input_characters?: string;
                /** @description USD per character. Characters of output text, where priced per character. */
                output_characters?: string;
            };
            /** @description Price variants by service tier (flex, priority, batch); absent when none. */
            service_tiers?: {
                [key: string]: {
                    /** @description Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent. */
                    prices?: {
                        /** @description USD per 1M tokens. Text prompt tokens not read from or written to the cache. */
                        input_tokens?: string;
                        /** @description USD per 1M tokens. Audio prompt tokens (not cached). Part of input_tokens. */
                        input_audio_tokens?: string;
                        /** @description USD per 1M tokens. Image prompt tokens (not cached). Part of input_tokens. */
                        input_image_tokens?: string;
                        /** @description USD per 1M tokens. Video prompt tokens (not cached). Part of input_tokens. */
                        input_video_tokens?: string;
                        /** @description USD per 1M tokens. Prompt tokens read from the cache (text, or any modality without a price of its own). Part of input_tokens. */
                        cache_read_tokens?: string;
                        /** @description USD per 1M tokens. Audio prompt tokens read from the cache. Part of cache_read_tokens. */
                        cache_read_audio_tokens?: string;
                        /** @description USD per 1M tokens. Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Part of input_tokens. */
                        cache_write_tokens?: string;
                        /** @description USD per 1M tokens. Prompt tokens written to the cache with a 1-hour lifetime. Part of cache_write_tokens. */
                        cache_write_1h_tokens?: string;
                        /** @description USD per 1M tokens. Text output tokens, reasoning excluded. */
                        output_tokens?: string;
                        /** @description USD per 1M tokens. Reasoning (thinking) output tokens. Part of output_tokens. */
                        reasoning_tokens?: string;
                        /** @description USD per 1M tokens. Audio output tokens. Part of output_tokens. */
                        output_audio_tokens?: string;
                        /** @description USD per 1M tokens. Image output tokens. Part of output_tokens. */
                        output_image_tokens?: string;
                        /** @description USD per request. Calls made; a per-request fee. */
                        requests?: string;
                        /** @description USD per search request. Web searches the model ran. */
                        web_search_requests?: string;
                        /** @description USD per image. Images generated. */
                        images?: string;
                        /** @description USD per image. Images sent as input, where priced per image. */
                        input_images?: string;
                        /** @description USD per second. Seconds of input media (audio transcription, provisioned time). */
                        input_seconds?: string;
                        /** @description USD per second. Seconds of generated media. */
                        output_seconds?: string;
                        /** @description USD per second. Seconds of input audio. */
                        input_audio_seconds?: string;
                        /** @description USD per second. Seconds of input video. */
                        input_video_seconds?: string;
                        /** @description USD per second. Seconds of generated video. */
                        output_video_seconds?: string;
                        /** @description USD per character. Characters of input text, where priced per character. */
                        input_characters?: string;
                        /** @description USD per character. Characters of output text, where priced per character. */
                        output_characters?: string;
                    };
                    tiers?: {
                        above_input_tokens?: number;
                        /** @description Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent. */
                        prices?: {
                            /** @description USD per 1M tokens. Text prompt tokens not read from or written to the cache. */
                            input_tokens?: string;
                            /** @description USD per 1M tokens. Audio prompt tokens (not cached). Part of input_tokens. */
                            input_audio_tokens?: string;
                            /** @description USD per 1M tokens. Image prompt tokens (not cached). Part of input_tokens. */
                            input_image_tokens?: string;
                            /** @description USD per 1M tokens. Video prompt tokens (not cached). Part of input_tokens. */
                            input_video_tokens?: string;
                            /** @description USD per 1M tokens. Prompt tokens read from the cache (text, or any modality without a price of its own). Part of input_tokens. */
                            cache_read_tokens?: string;
                            /** @description USD per 1M tokens. Audio prompt tokens read from the cache. Part of cache_read_tokens. */
                            cache_read_audio_tokens?: string;
                            /** @description USD per 1M tokens. Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Part of input_tokens. */
                            cache_write_tokens?: string;
                            /** @description USD per 1M tokens. Prompt tokens written to the cache with a 1-hour lifetime. Part of cache_write_tokens. */
                            cache_write_1h_tokens?: string;
                            /** @description USD per 1M tokens. Text output tokens, reasoning excluded. */
                            output_tokens?: string;
                            /** @description USD per 1M tokens. Reasoning (thinking) output tokens. Part of output_tokens. */
                            reasoning_tokens?: string;
                            /** @description USD per 1M tokens. Audio output tokens. Part of output_tokens. */
                            output_audio_tokens?: string;
                            /** @description USD per 1M tokens. Image output tokens. Part of output_tokens. */
                            output_image_tokens?: string;
                            /** @description USD per request. Calls made; a per-request fee. */
                            requests?: string;
                            /** @description USD per search request. Web searches the model ran. */
                            web_search_requests?: string;
                            /** @description USD per image. Images generated. */
                            images?: string;
                            /** @description USD per image. Images sent as input, where priced per image. */
                            input_images?: string;
                            /** @description USD per second. Seconds of input media (audio transcription, provisioned time). */
                            input_seconds?: string;
                            /** @description USD per second. Seconds of generated media. */
                            output_seconds?: string;
                            /** @description USD per second. Seconds of input audio. */
                            input_audio_seconds?: string;
                            /** @description USD per second. Seconds of input video. */
                            input_video_seconds?: string;
                            /** @description USD per second. Seconds of generated video. */
                            output_video_seconds?: string;
                            /** @description USD per character. Characters of input text, where priced per character. */
                            input_characters?: string;
                            /** @description USD per character. Characters of output text, where priced per character. */
                            output_characters?: string;
                        };
                    }[];
                };
            };
            /** @description Price lists by speed (`fast`: Anthropic fast mode) as a source publishes them; absent when none. */
            speed_modes?: {
                [key: string]: {
                    /** @description Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent. */
                    prices?: {
                        /** @description USD per 1M tokens. Text prompt tokens not read from or written to the cache. */
                        input_tokens?: string;
                        /** @description USD per 1M tokens. Audio prompt tokens (not cached). Part of input_tokens. */
                        input_audio_tokens?: string;
                        /** @description USD per 1M tokens. Image prompt tokens (not cached). Part of input_tokens. */
                        input_image_tokens?: string;
                        /** @description USD per 1M tokens. Video prompt tokens (not cached). Part of input_tokens. */
                        input_video_tokens?: string;
                        /** @description USD per 1M tokens. Prompt tokens read from the cache (text, or any modality without a price of its own). Part of input_tokens. */
                        cache_read_tokens?: string;
                        /** @description USD per 1M tokens. Audio prompt tokens read from the cache. Part of cache_read_tokens. */
                        cache_read_audio_tokens?: string;
                        /** @description USD per 1M tokens. Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Part of input_tokens. */
                        cache_write_tokens?: string;
                        /** @description USD per 1M tokens. Prompt tokens written to the cache with a 1-hour lifetime. Part of cache_write_tokens. */
                        cache_write_1h_tokens?: string;
                        /** @description USD per 1M tokens. Text output tokens, reasoning excluded. */
                        output_tokens?: string;
                        /** @description USD per 1M tokens. Reasoning (thinking) output tokens. Part of output_tokens. */
                        reasoning_tokens?: string;
                        /** @description USD per 1M tokens. Audio output tokens. Part of output_tokens. */
                        output_audio_tokens?: string;
                        /** @description USD per 1M tokens. Image output tokens. Part of output_tokens. */
                        output_image_tokens?: string;
                        /** @description USD per request. Calls made; a per-request fee. */
                        requests?: string;
                        /** @description USD per search request. Web searches the model ran. */
                        web_search_requests?: string;
                        /** @description USD per image. Images generated. */
                        images?: string;
                        /** @description USD per image. Images sent as input, where priced per image. */
                        input_images?: string;
                        /** @description USD per second. Seconds of input media (audio transcription, provisioned time). */
                        input_seconds?: string;
                        /** @description USD per second. Seconds of generated media. */
                        output_seconds?: string;
                        /** @description USD per second. Seconds of input audio. */
                        input_audio_seconds?: string;
                        /** @description USD per second. Seconds of input video. */
                        input_video_seconds?: string;
                        /** @description USD per second. Seconds of generated video. */
                        output_video_seconds?: string;
                        /** @description USD per character. Characters of input text, where priced per character. */
                        input_characters?: string;
                        /** @description USD per character. Characters of output text, where priced per character. */
                        output_characters?: string;
                    };
                    tiers?: {
                        above_input_tokens?: number;
                        /** @description Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent. */
                        prices?: {
                            /** @description USD per 1M tokens. Text prompt tokens not read from or written to the cache. */
                            input_tokens?: string;
                            /** @description USD per 1M tokens. Audio prompt tokens (not cached). Part of input_tokens. */
                            input_audio_tokens?: string;
                            /** @description USD per 1M tokens. Image prompt tokens (not cached). Part of input_tokens. */
                            input_image_tokens?: string;
                            /** @description USD per 1M tokens. Video prompt tokens (not cached). Part of input_tokens. */
                            input_video_tokens?: string;
                            /** @description USD per 1M tokens. Prompt tokens read from the cache (text, or any modality without a price of its own). Part of input_tokens. */
                            cache_read_tokens?: string;
                            /** @description USD per 1M tokens. Audio prompt tokens read from the cache. Part of cache_read_tokens. */
                            cache_read_audio_tokens?: string;
                            /** @description USD per 1M tokens. Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Part of input_tokens. */
                            cache_write_tokens?: string;
                            /** @description USD per 1M tokens. Prompt tokens written to the cache with a 1-hour lifetime. Part of cache_write_tokens. */
                            cache_write_1h_tokens?: string;
                            /** @description USD per 1M tokens. Text output tokens, reasoning excluded. */
                            output_tokens?: string;
                            /** @description USD per 1M tokens. Reasoning (thinking) output tokens. Part of output_tokens. */
                            reasoning_tokens?: string;
                            /** @description USD per 1M tokens. Audio output tokens. Part of output_tokens. */
                            output_audio_tokens?: string;
                            /** @description USD per 1M tokens. Image output tokens. Part of output_tokens. */
                            output_image_tokens?: string;
                            /** @description USD per request. Calls made; a per-request fee. */
                            requests?: string;
                            /** @description USD per search request. Web searches the model ran. */
                            web_search_requests?: string;
                            /** @description USD per image. Images generated. */
                            images?: string;
                            /** @description USD per image. Images sent as input, where priced per image. */
                            input_images?: string;
                            /** @description USD per second. Seconds of input media (audio transcription, provisioned time). */
                            input_seconds?: string;
                            /** @description USD per second. Seconds of generated media. */
                            output_seconds?: string;
                            /** @description USD per second. Seconds of input audio. */
                            input_audio_seconds?: string;
                            /** @description USD per second. Seconds of input video. */
                            input_video_seconds?: string;
                            /** @description USD per second. Seconds of generated video. */
                            output_video_seconds?: string;
                            /** @description USD per character. Characters of input text, where priced per character. */
                            input_characters?: string;
                            /** @description USD per character. Characters of output text, where priced per character. */
                            output_characters?: string;
                        };
                    }[];
                };
            };
            /** @description Multipliers a source publishes for a price modifier, by `<usage field>=<value>` (`speed=fast`, `inference_geo=us`): exact decimals on every standard price; absent when none. */
            multipliers?: {
                [key: string]: string;
            };
            /** @description Non-zero prices the source publishes in dimensions tariff cannot bill, as published; absent when none. */
            unsupported_prices?: {
                field?: string;
                value?: string;
            }[];
            /** @description Prices in effect from a date (`from`) or in a UTC time-of-day window; absent when none. */
            variants?: {
                from?: string;
                window?: Record<string, never>;
                /** @description Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent. */
                prices?: {
                    /** @description USD per 1M tokens. Text prompt tokens not read from or written to the cache. */
                    input_tokens?: string;
                    /** @description USD per 1M tokens. Audio prompt tokens (not cached). Part of input_tokens. */
                    input_audio_tokens?: string;
                    /** @description USD per 1M tokens. Image prompt tokens (not cached). Part of input_tokens. */
                    input_image_tokens?: string;
                    /** @description USD per 1M tokens. Video prompt tokens (not cached). Part of input_tokens. */
                    input_video_tokens?: string;
                    /** @description USD per 1M tokens. Prompt tokens read from the cache (text, or any modality without a price of its own). Part of input_tokens. */
                    cache_read_tokens?: string;
                    /** @description USD per 1M tokens. Audio prompt tokens read from the cache. Part of cache_read_tokens. */
                    cache_read_audio_tokens?: string;
                    /** @description USD per 1M tokens. Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Part of input_tokens. */
                    cache_write_tokens?: string;
                    /** @description USD per 1M tokens. Prompt tokens written to the cache with a 1-hour lifetime. Part of cache_write_tokens. */
                    cache_write_1h_tokens?: string;
                    /** @description USD per 1M tokens. Text output tokens, reasoning excluded. */
                    output_tokens?: string;
                    /** @description USD per 1M tokens. Reasoning (thinking) output tokens. Part of output_tokens. */
                    reasoning_tokens?: string;
                    /** @description USD per 1M tokens. Audio output tokens. Part of output_tokens. */
                    output_audio_tokens?: string;
                    /** @description USD per 1M tokens. Image output tokens. Part of output_tokens. */
                    output_image_tokens?: string;
                    /** @description USD per request. Calls made; a per-request fee. */
                    requests?: string;
                    /** @description USD per search request. Web searches the model ran. */
                    web_search_requests?: string;
                    /** @description USD per image. Images generated. */
                    images?: string;
                    /** @description USD per image. Images sent as input, where priced per image. */
                    input_images?: string;
                    /** @description USD per second. Seconds of input media (audio transcription, provisioned time). */
                    input_seconds?: string;
                    /** @description USD per second. Seconds of generated media. */
                    output_seconds?: string;
                    /** @description USD per second. Seconds of input audio. */
                    input_audio_seconds?: string;
                    /** @description USD per second. Seconds of input video. */
                    input_video_seconds?: string;
                    /** @description USD per second. Seconds of generated video. */
                    output_video_seconds?: string;
                    /** @description USD per character. Characters of input text, where priced per character. */
                    input_characters?: string;
                    /** @description USD per character. Characters of output text, where priced per character. */
                    output_characters?: string;
                };
                tiers?: {
                    above_input_tokens?: number;
                    /** @description Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent. */
                    prices?: {
                        /** @description USD per 1M tokens. Text prompt tokens not read from or written to the cache. */
                        input_tokens?: string;
                        /** @description USD per 1M tokens. Audio prompt tokens (not cached). Part of input_tokens. */
                        input_audio_tokens?: string;
                        /** @description USD per 1M tokens. Image prompt tokens (not cached). Part of input_tokens. */
                        input_image_tokens?: string;
                        /** @description USD per 1M tokens. Video prompt tokens (not cached). Part of input_tokens. */
                        input_video_tokens?: string;
                        /** @description USD per 1M tokens. Prompt tokens read from the cache (text, or any modality without a price of its own). Part of input_tokens. */
                        cache_read_tokens?: string;
                        /** @description USD per 1M tokens. Audio prompt tokens read from the cache. Part of cache_read_tokens. */
                        cache_read_audio_tokens?: string;
                        /** @description USD per 1M tokens. Prompt tokens written to the cache with a 5-minute or unspecified lifetime. Part of input_tokens. */
                        cache_write_tokens?: string;
                        /** @description USD per 1M tokens. Prompt tokens written to the cache with a 1-hour lifetime. Part of cache_write_tokens. */
                        cache_write_1h_tokens?: string;
                        /** @description USD per 1M tokens. Text output tokens, reasoning excluded. */
                        output_tokens?: string;
                        /** @description USD per 1M tokens. Reasoning (thinking) output tokens. Part of output_tokens. */
                        reasoning_tokens?: string;
                        /** @description USD per 1M tokens. Audio output tokens. Part of output_tokens. */
                        output_audio_tokens?: string;
                        /** @description USD per 1M tokens. Image output tokens. Part of output_tokens. */
                        output_image_tokens?: string;
                        /** @description USD per request. Calls made; a per-request fee. */
                        requests?: string;
                        /** @description USD per search request. Web searches the model ran. */
                        web_search_requests?: string;
                        /** @description USD per image. Images generated. */
                        images?: string;
                        /** @description USD per image. Images sent as input, where priced per image. */
                        input_images?: string;
                        /** @description USD per second. Seconds of input media (audio transcription, provisioned time). */
                        input_seconds?: string;
                        /** @description USD per second. Seconds of generated media. */
                        output_seconds?: string;
                        /** @description USD per second. Seconds of input audio. */
                        input_audio_seconds?: string;
                        /** @description USD per second. Seconds of input video. */
                        input_video_seconds?: string;
                        /** @description USD per second. Seconds of generated video. */
                        output_video_seconds?: string;
                        /** @description USD per character. Characters of input text, where priced per character. */
                        input_characters?: string;
                        /** @description USD per character. Characters of output text, where priced per character. */
                        output_characters?: string;
                    };
                }[];
            }[];
            /** @description The provider's primary source (PROVIDER_SOURCES), or `manual` for an operator override. */
            source?: string;
            /** @description The source of every priced dimension: `input_tokens`, `tier>200000.input_tokens`, `batch.input_tokens`, `fast.input_tokens`, `variants[0].input_tokens`, `multipliers.speed=fast` → a source name. A dimension the primary source leaves unpriced is filled from another source that prices the same model at the same provider. */
            price_sources?: {
                [key: string]: string;
            };
            /** Format: date-time */
            updated_at?: string;
        };
        /** @description GET /costs?since=: what changed after `since` (0: everything). `changed` holds the records as the pricing core (@tariff/pricing CatalogEntry) holds them, so a client builds the same catalog the server serves. */
        CatalogDelta: {
            catalog_version: number;
            since: number;
            /** Format: date-time */
            last_updated: string;
            /** @description Successful syncs so far: moves with providers' last_synced_at. */
            synced: number;
            stale: boolean;
            providers: {
                id?: string;
                source?: string;
                upstream_id?: string;
                in_use?: boolean;
                last_synced_at?: string | null;
            }[];
            exchange_rates: {
                base?: string;
                quote?: string;
                rate?: string;
                market_time?: string;
                source?: string;
            }[];
            changed: ({
                provider: string;
                model_id: string;
            } & {
                [key: string]: unknown;
            })[];
            removed: {
                provider: string;
                model_id: string;
            }[];
        };
        /** @description GET /costs `units`: each dimension's unit and parent. */
        Units: {
            /** @description per 1M tokens */
            input_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: unknown;
            };
            /** @description per 1M tokens */
            input_audio_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "input_tokens";
            };
            /** @description per 1M tokens */
            input_image_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "input_tokens";
            };
            /** @description per 1M tokens */
            input_video_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "input_tokens";
            };
            /** @description per 1M tokens */
            cache_read_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "input_tokens";
            };
            /** @description per 1M tokens */
            cache_read_audio_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "cache_read_tokens";
            };
            /** @description per 1M tokens */
            cache_write_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "input_tokens";
            };
            /** @description per 1M tokens */
            cache_write_1h_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "cache_write_tokens";
            };
            /** @description per 1M tokens */
            output_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: unknown;
            };
            /** @description per 1M tokens */
            reasoning_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "output_tokens";
            };
            /** @description per 1M tokens */
            output_audio_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "output_tokens";
            };
            /** @description per 1M tokens */
            output_image_tokens?: {
                /** @constant */
                per?: "1M tokens";
                /** @constant */
                parent?: "output_tokens";
            };
            /** @description per request */
            requests?: {
                /** @constant */
                per?: "request";
                /** @constant */
                parent?: unknown;
            };
            /** @description per search request */
            web_search_requests?: {
                /** @constant */
                per?: "search request";
                /** @constant */
                parent?: unknown;
            };
            /** @description per image */
            images?: {
                /** @constant */
                per?: "image";
                /** @constant */
                parent?: unknown;
            };
            /** @description per image */
            input_images?: {
                /** @constant */
                per?: "image";
                /** @constant */
                parent?: unknown;
            };
            /** @description per second */
            input_seconds?: {
                /** @constant */
                per?: "second";
                /** @constant */
                parent?: unknown;
            };
            /** @description per second */
            output_seconds?: {
                /** @constant */
                per?: "second";
                /** @constant */
                parent?: unknown;
            };
            /** @description per second */
            input_audio_seconds?: {
                /** @constant */
                per?: "second";
                /** @constant */
                parent?: unknown;
            };
            /** @description per second */
            input_video_seconds?: {
                /** @constant */
                per?: "second";
                /** @constant */
                parent?: unknown;
            };
            /** @description per second */
            output_video_seconds?: {
                /** @constant */
                per?: "second";
                /** @constant */
                parent?: unknown;
            };
            /** @description per character */
            input_characters?: {
                /** @constant */
                per?: "character";
                /** @constant */
                parent?: unknown;
            };
            /** @description per character */
            output_characters?: {
                /** @constant */
                per?: "character";
                /** @constant */
                parent?: unknown;
            };
        };
        Error: {
            error: {
                code: string;
                message: string;
                details?: unknown;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
