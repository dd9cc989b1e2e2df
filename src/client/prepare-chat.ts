import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { mergeGenerationConfig } from '../generation/merge-generation-config.js';
import { validateGenerationConfig } from '../generation/validate-generation-config.js';
import type { LLMGenerationConfig, ToolChoice, ToolInput } from '../spec/index.js';
import { prepareTools } from '../tools/prepare-tools.js';
import { ToolInvoker } from '../tools/tool-invoker.js';
import { type CallMedia, callMediaFor } from './call-media.js';
import { isBuilder } from './call-options-check.js';
import { scopeFor } from './call-scope.js';
import type { ClientContext } from './client-context.js';
import type { ChatOptions, ConfigBuilderLike } from './options.js';
import type { PreparedChat } from './run-chat.js';
import { checkValidator, ResponseValidation } from './validate-response.js';

const EMPTY_TOOLS = Object.freeze({
  prepared: Object.freeze({ functions: [], providerTools: [] }),
  executables: new Map(),
}) as unknown as Awaited<ReturnType<typeof prepareTools>>;

/** The call config merged over the model's defaults (`ModelDetail.temperature`/`maxTokens`). */
export function mergedCallConfig(
  model: ResolvedModel,
  config: LLMGenerationConfig | ConfigBuilderLike | undefined,
): LLMGenerationConfig {
  const callConfig =
    config == null ? undefined : validateGenerationConfig(isBuilder(config) ? config.build() : config);
  const { temperature, maxTokens } = model.defaults;
  if (temperature == null && maxTokens == null) return callConfig ?? {};
  const core: NonNullable<LLMGenerationConfig['core']> = {};
  if (temperature != null) core.temperature = temperature;
  if (maxTokens != null) core.maxTokens = maxTokens;
  return callConfig == null ? { core } : mergeGenerationConfig({ core }, callConfig);
}

/** Settings of chat calls the library makes on a caller's behalf (structured output's requests, images). */
export interface InternalChatOptions {
  /**
   * The media downloader of the public call, shared by all its requests (each URL downloaded once per
   * public call); `undefined` = downloads off. Absent → from the options' `fetchRemoteMedia`.
   */
  media?: CallMedia | undefined;
  /** The tool choice of every round after the first (default: see `toolChoiceFor` in run-chat.ts). */
  laterToolChoice?: ToolChoice;
}

/** Prepares one chat call: model, dialect, merged config, tools, deadline and tool runner. */
export async function prepareChat(
  ctx: ClientContext,
  options: ChatOptions,
  stream: boolean,
  shared?: InternalChatOptions,
): Promise<PreparedChat> {
  const model = ctx.models.resolve(options.model);
  if (model.kind === 'embedding') {
    throw new LLMError('INVALID_PARAMETER', `${model.fullName} is an embedding model: use llm.embed().`);
  }
  const dialect = ctx.dialects.chat(model);
  const config = mergedCallConfig(model, options.config);
  const toolSet =
    options.tools == null && config.nativeTools == null
      ? EMPTY_TOOLS
      : await prepareTools(options.tools as ToolInput[] | undefined, ctx.tools, config.nativeTools);
  const maxToolRounds = options.maxToolRounds ?? ctx.config.maxToolRounds;
  if (!Number.isInteger(maxToolRounds) || maxToolRounds < 0) {
    throw new LLMError(
      'INVALID_PARAMETER',
      `options.maxToolRounds: must be a whole number ≥ 0 (got ${maxToolRounds})`,
    );
  }
  const call: PreparedChat = {
    model,
    dialect,
    config,
    toolSet,
    scope: scopeFor(ctx.clock, model, options, stream),
    warnings: [],
    maxToolRounds,
    runContext: options.runContext ?? {},
    invoker:
      options.toolHooks != null
        ? new ToolInvoker({ ...options.toolHooks, clock: ctx.clock, logger: ctx.logger })
        : ctx.invoker,
  };
  if (options.toolChoice != null) call.toolChoice = options.toolChoice;
  const media =
    shared !== undefined && 'media' in shared ? shared.media : callMediaFor(ctx, options.fetchRemoteMedia);
  if (media !== undefined) call.media = media;
  if (shared?.laterToolChoice !== undefined) call.laterToolChoice = shared.laterToolChoice;
  if (options.validateResponse != null) {
    const validator = checkValidator(options.validateResponse);
    call.validation = new ResponseValidation(
      validator,
      ctx.config.retry.maxRetries,
      model,
      call.scope,
      ctx.clock,
    );
  }
  return call;
}
