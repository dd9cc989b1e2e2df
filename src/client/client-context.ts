import type { ResolvedConfig, ResolvedModel } from '../config/resolved-config.js';
import type { Transport } from '../http/transport.js';
import type { KeyPools } from '../keys/key-pools.js';
import type { InternalLogger } from '../logging/internal-logger.js';
import type { ModelRegistry } from '../models/model-registry.js';
import type { Pipeline } from '../pipeline/create-pipeline.js';
import type { PipelineOperation, PipelineRequest, ProviderAuth, ProviderRequest } from '../spec/index.js';
import type { ClientTelemetry } from '../telemetry/client-telemetry.js';
import type { ToolInvoker } from '../tools/tool-invoker.js';
import type { ToolProviderRegistry } from '../tools/tool-registry.js';
import type { Clock, Random } from '../util/clock.js';
import type { CallScope } from './call-scope.js';
import type { Dialects } from './dialects.js';

/** Everything a client's calls share. Built once by `createLLM`. */
export interface ClientContext {
  config: ResolvedConfig;
  models: ModelRegistry;
  pipeline: Pipeline;
  /** The pipeline's terminal layer (closed by `llm.close()`). */
  transport: Transport;
  keyPools: KeyPools;
  dialects: Dialects;
  tools: ToolProviderRegistry;
  /** Runs tools of calls without their own `toolHooks`. */
  invoker: ToolInvoker;
  clock: Clock;
  random: Random;
  logger: InternalLogger;
  /** Cost, usage totals, spend recording and spans of the public calls. */
  telemetry: ClientTelemetry;
}

const BEARER: ProviderAuth = Object.freeze({ scheme: 'bearer' });

/** Builds the pipeline request of one call from a dialect's `ProviderRequest`. */
export function toPipelineRequest(
  operation: PipelineOperation,
  model: ResolvedModel,
  request: ProviderRequest,
  scope: CallScope,
): PipelineRequest {
  const pipelineRequest: PipelineRequest = {
    operation,
    provider: model.provider.name,
    model: model.fullName,
    modelId: model.id,
    apiType: model.apiType,
    method: request.method,
    url: request.url,
    // Dialects already merged the provider's `headers` into the request headers.
    headers: request.headers,
    body: request.body,
    stream: request.stream,
    auth: request.auth ?? model.definition.auth ?? BEARER,
    signal: scope.signal,
    deadline: scope.deadline,
    attempt: 1,
    context: {},
  };
  if (request.checkBody != null) pipelineRequest.checkBody = request.checkBody;
  const classifyError = model.definition.classifyError;
  if (classifyError != null) pipelineRequest.classifyError = classifyError;
  return pipelineRequest;
}
