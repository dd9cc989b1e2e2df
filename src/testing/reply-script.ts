import { LLMError } from '../errors/llm-error.js';
import type {
  FakeProviderOptions,
  RecordedRequest,
  ReplyContext,
  ReplyHandler,
} from './fake-provider-types.js';
import type { Reply } from './reply-types.js';
import { compileRouteKey, type Route, type RouteMatcher, routeMatches } from './route-match.js';

interface RouteScript {
  key: string;
  matcher: RouteMatcher;
  replies: Reply[];
  handler: ReplyHandler | undefined;
}

/**
 * Where scripted replies come from, in order: route scripts, the queue, the handler. `undefined` from all of
 * them means "answer automatically".
 */
export class ReplyScript {
  private readonly queue: Reply[];
  private readonly routes: RouteScript[];
  private handler: ReplyHandler | undefined;

  /** `check` validates each scripted reply as it is given (e.g. that a fixture file exists); it throws. */
  constructor(
    options: FakeProviderOptions,
    private readonly check: (reply: Reply) => void = () => undefined,
  ) {
    for (const reply of options.replies ?? []) check(reply);
    this.queue = [...(options.replies ?? [])];
    this.handler = options.handler;
    this.routes = Object.entries(options.routes ?? {}).map(([key, script]) => {
      const matcher = compileRouteKey(key);
      if (matcher == null) {
        throw new LLMError('CONFIGURATION_ERROR', `routes["${key}"]: expected "METHOD /path" or "/path"`);
      }
      const handler = typeof script === 'function' ? script : undefined;
      if (typeof script !== 'function') for (const reply of script) check(reply);
      return { key, matcher, replies: typeof script === 'function' ? [] : [...script], handler };
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  enqueue(replies: readonly Reply[]): void {
    for (const reply of replies) this.check(reply);
    this.queue.push(...replies);
  }

  setHandler(handler: ReplyHandler | undefined): void {
    this.handler = handler;
  }

  /** The scripted reply for `request`, or `undefined` for the automatic one. */
  async next(request: RecordedRequest, route: Route, context: ReplyContext): Promise<Reply | undefined> {
    for (const script of this.routes) {
      if (!routeMatches(script.matcher, request.method, request.path, route)) continue;
      const queued = script.replies.shift();
      if (queued != null) return queued;
      const handled = await script.handler?.(request, context);
      if (handled != null) return handled;
    }
    const queued = this.queue.shift();
    if (queued != null) return queued;
    return (await this.handler?.(request, context)) ?? undefined;
  }
}
