import type { ToolInput } from '../spec/index.js';
import { mergedConfig } from './session-turn.js';
import type {
  SessionChatCallOptions,
  SessionChatOptions,
  SessionOptions,
  SessionStructuredCallOptions,
  SessionStructuredOptions,
} from './session-types.js';

type Inherited =
  | 'model'
  | 'tools'
  | 'toolChoice'
  | 'maxToolRounds'
  | 'toolHooks'
  | 'timeoutMs'
  | 'fetchRemoteMedia';
const INHERITED: readonly Inherited[] = [
  'model',
  'tools',
  'toolChoice',
  'maxToolRounds',
  'toolHooks',
  'timeoutMs',
  'fetchRemoteMedia',
];

/**
 * What a chat/stream turn hands the backend: the call's options over the session's (config merged, builders
 * built, `runContext.sessionId` set); session-only options (`instruction`, `templateVars`,
 * `preserveMediaInHistory`) removed.
 */
export function chatCallOptions(
  session: SessionOptions,
  sessionId: string,
  options: SessionChatOptions,
): SessionChatCallOptions {
  const {
    instruction: _instruction,
    templateVars: _vars,
    preserveMediaInHistory: _media,
    config,
    runContext,
    ...call
  } = options;
  const merged: SessionChatCallOptions = { ...call };
  for (const key of INHERITED) {
    if (merged[key] === undefined && session[key] !== undefined) {
      (merged as Record<string, unknown>)[key] = session[key];
    }
  }
  const built = mergedConfig(session.config, config);
  if (built !== undefined) merged.config = built;
  merged.runContext = { sessionId, ...session.runContext, ...runContext };
  return merged;
}

/** What a structured turn hands the backend (model, deadline, config and `fetchRemoteMedia` inherited from the session). */
export function structuredCallOptions<T>(
  session: SessionOptions,
  options: SessionStructuredOptions<T>,
): SessionStructuredCallOptions<T> {
  const {
    instruction: _instruction,
    templateVars: _vars,
    preserveMediaInHistory: _media,
    config,
    model,
    timeoutMs,
    ...rest
  } = options;
  const call: SessionStructuredCallOptions<T> = { ...rest };
  const merged = mergedConfig(session.config, config);
  if (merged !== undefined) call.config = merged;
  const chosenModel = model ?? session.model;
  if (chosenModel !== undefined) call.model = chosenModel;
  const deadline = timeoutMs ?? session.timeoutMs;
  if (deadline !== undefined) call.timeoutMs = deadline;
  if (call.fetchRemoteMedia === undefined && session.fetchRemoteMedia !== undefined) {
    call.fetchRemoteMedia = session.fetchRemoteMedia;
  }
  return call;
}

/** The tools of a turn as a list: the call's, else the session's (a record's values). */
export function sessionToolsOf(session: SessionOptions, options: SessionChatOptions): ToolInput[] {
  const tools = options.tools ?? session.tools;
  if (tools == null) return [];
  return Array.isArray(tools) ? [...tools] : Object.values(tools);
}
