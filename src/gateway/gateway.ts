import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LLM } from '../client/llm.js';
import { resolveGateway } from '../config/resolve-gateway.js';
import type { ResolvedGateway } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { InternalLogger } from '../logging/internal-logger.js';
import { AccessLog } from './access-log.js';
import { type GatewayAccounting, noAccounting } from './accounting.js';
import { ANONYMOUS, type GatewayClient, TokenTable } from './auth.js';
import { tooLarge } from './body-reader.js';
import { handleChat } from './chat-handler.js';
import { createLimitStore } from './create-limit-store.js';
import { handleEmbeddings } from './embeddings-handler.js';
import { Exchange, requestIdOf } from './exchange.js';
import type { GatewayContext } from './gateway-context.js';
import { GatewayError } from './gateway-error.js';
import { handleImages } from './images-handler.js';
import { LedgerAccounting } from './ledger-accounting.js';
import type { LimitStore } from './limit-store.js';
import { isLoopbackHost } from './loopback.js';
import { GatewayMetrics } from './metrics.js';
import { ModelLabels } from './model-labels.js';
import { handleModel, handleModels } from './models-handler.js';
import { sendError, sendJson, sendText } from './respond.js';
import { matchRoute } from './router.js';
import { toGatewayError } from './to-gateway-error.js';

/** Options of `Gateway`. */
export interface GatewayOptions {
  /**
   * The client the gateway serves; `drain()` closes it (flushing key state). Create it with
   * `createLLM(config, { recordSpend: false })` (as `switchboard serve` does): the gateway records each
   * request's spend under its token's name, and the client would otherwise record the same calls again as
   * library rows of the key store's ledger (`switchboard usage` would count them twice).
   */
  llm: LLM;
  /** @default the client config's `gateway` group (defaults when it has none) */
  config?: ResolvedGateway;
  /** Where access-log lines go (never called when `config.accessLog` is false); `false` for none. @default stdout */
  accessLog?: ((text: string) => void) | false;
  /** @default the store matching the client's key store (memory, file beside it, redis) */
  limits?: LimitStore;
  /**
   * Budgets and spend. @default `LedgerAccounting` over the key store's `SpendLedger` (memory, file and redis
   * stores all have one; with redis one budget per token across every gateway process on it); `noAccounting`
   * for a store without a ledger
   */
  accounting?: GatewayAccounting;
  /** Epoch-ms clock of limits, expiry and accounting. @default Date.now */
  now?: () => number;
}

/** Where a started gateway listens. */
export interface GatewayAddress {
  host: string;
  port: number;
  /** `http://host:port`. */
  url: string;
}

/** Accounting over the client's key-store ledger, when the store has one. */
function defaultAccounting(llm: LLM, logger: InternalLogger): GatewayAccounting {
  const store = llm.context.keyPools.store;
  if (store.spend == null) return noAccounting;
  return new LedgerAccounting(store.spend, { shared: store.kind === 'redis', logger });
}

const SHUTTING_DOWN = () =>
  new GatewayError(
    503,
    'server_error',
    'server_shutting_down',
    'The gateway is shutting down; retry on another instance.',
    {
      headers: { connection: 'close' },
      retryAfterMs: 1000,
    },
  );

/**
 * The OpenAI-compatible HTTP server over one `LLM` client (API.md §15), on plain `node:http`: routes, bearer
 * tokens, limits, OpenAI-shaped errors, streams relayed event by event, access log and metrics, and a drain
 * that finishes in-flight requests before closing the client.
 */
export class Gateway {
  readonly server: Server;
  private readonly context: GatewayContext;
  private readonly tokens: TokenTable;
  private readonly logger: InternalLogger;
  private readonly accessLog: AccessLog | undefined;
  private readonly inFlight = new Set<Exchange>();
  private authRequired = true;
  private closing = false;
  private drained: Promise<void> | undefined;
  private wakeIdle: (() => void) | undefined;

  constructor(options: GatewayOptions) {
    const { llm } = options;
    const clientConfig = llm.context.config;
    const config = options.config ?? clientConfig.gateway ?? resolveGateway(undefined);
    this.logger = llm.context.logger;
    this.tokens = new TokenTable(config.tokens);
    const limits =
      options.limits ??
      createLimitStore(clientConfig.keyStore, {
        leaseTtlMs: (config.requestTimeoutMs ?? clientConfig.timeoutMs) + 60_000,
        logger: this.logger,
      });
    const providers = clientConfig.providers.map((provider) => provider.name);
    const listed = llm.models.list();
    this.context = {
      llm,
      config,
      limits,
      accounting: options.accounting ?? defaultAccounting(llm, this.logger),
      metrics: new GatewayMetrics({ providers, stats: (provider) => llm.keys.stats(provider) }),
      labels: new ModelLabels(listed.map((info) => info.name)),
      unavailableRoutes: new Set(
        listed
          .filter((info) => info.kind === 'route' && !info.available)
          .map((info) => info.name.toLowerCase()),
      ),
      now: options.now ?? Date.now,
      debugLog: clientConfig.debugLog !== false,
    };
    const sink = options.accessLog ?? ((text: string) => process.stdout.write(text));
    if (sink !== false && config.accessLog) this.accessLog = new AccessLog(sink);
    this.server = createServer(
      {
        headersTimeout: config.headersTimeoutMs,
        // Node's own bound on the whole request (a backstop: the body timer answers 408 first).
        requestTimeout: config.headersTimeoutMs + config.bodyTimeoutMs + 5000,
        // How often Node checks those timeouts (its default, 30 s, would let a slow client linger).
        connectionsCheckingInterval: Math.max(100, Math.min(1000, config.headersTimeoutMs / 4)),
      },
      (req, res) => this.handle(req, res),
    );
    this.server.on('checkContinue', (req, res) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > config.bodyLimitBytes) {
        // Answered before the client sends the body: nothing to discard.
        const exchange = this.begin(req, res);
        sendError(exchange, res, this.withClose(tooLarge(config.bodyLimitBytes)));
        return;
      }
      res.writeContinue();
      this.handle(req, res);
    });
  }

  /** The gateway's settings. */
  get config(): ResolvedGateway {
    return this.context.config;
  }

  /**
   * Starts listening (`port` 0 picks a free one).
   * @throws LLMError `CONFIGURATION_ERROR` without tokens, unless `host` is loopback and `allowUnauthenticatedLoopback` is set.
   */
  async listen(port = this.config.port, host = this.config.host): Promise<GatewayAddress> {
    if (this.tokens.size === 0) {
      if (!this.config.allowUnauthenticatedLoopback || !isLoopbackHost(host)) {
        throw new LLMError(
          'CONFIGURATION_ERROR',
          isLoopbackHost(host)
            ? 'gateway.tokens: no client tokens configured; add gateway.tokens, or set gateway.allowUnauthenticatedLoopback: true to serve this machine without tokens'
            : `gateway.tokens: no client tokens configured, and the gateway binds ${host}, which is not loopback; add gateway.tokens (serving without tokens is only possible on 127.0.0.1 with allowUnauthenticatedLoopback: true)`,
          { details: { path: 'gateway.tokens' } },
        );
      }
      this.authRequired = false;
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { host: address.address, port: address.port, url: `http://${shown}:${address.port}` };
  }

  /** Requests being handled. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Graceful stop: the listener closes at once (new connections are refused), idle keep-alive connections
   * close, new requests on open connections get 503; in-flight requests finish (up to `timeoutMs`, then they
   * are aborted); then the limit store, the accounting and the client close (key state flushed) and the access
   * log is written out. Idempotent.
   */
  drain(timeoutMs = this.config.drainTimeoutMs): Promise<void> {
    this.drained ??= (async () => {
      this.closing = true;
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeIdleConnections();
      if (this.inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            this.wakeIdle = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, timeoutMs);
          }),
        ]);
        clearTimeout(timer);
        const reason = new LLMError('ABORTED', 'The gateway shut down before the request finished.');
        for (const exchange of this.inFlight) exchange.abort(reason);
      }
      this.server.closeAllConnections();
      await closed;
      const { limits, accounting, llm } = this.context;
      // First the spend rows in flight reach the ledger, then the client closes its key store.
      const results = [
        ...(await Promise.allSettled([accounting.close()])),
        ...(await Promise.allSettled([limits.close(), llm.close()])),
      ];
      for (const result of results) {
        if (result.status === 'rejected')
          this.logger.warn({ error: result.reason }, 'switchboard gateway: close failed');
      }
      this.accessLog?.flush();
    })();
    return this.drained;
  }

  private begin(req: IncomingMessage, res: ServerResponse): Exchange {
    const exchange = new Exchange(requestIdOf(req), req, this.context.config.bodyTimeoutMs);
    this.inFlight.add(exchange);
    this.context.metrics.started();
    res.once('close', () => this.finished(exchange, req, res));
    return exchange;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const exchange = this.begin(req, res);
    this.dispatch(exchange, req, res).catch((error: unknown) => this.fail(exchange, res, error));
  }

  private async dispatch(exchange: Exchange, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.closing) throw SHUTTING_DOWN();
    const route = matchRoute(req.method, req.url);
    exchange.route = route.name;
    const context = this.context;
    switch (route.name) {
      case 'health':
        return sendJson(exchange, res, 200, { status: 'ok' });
      case 'ready':
        return this.ready(exchange, res);
      default:
        break;
    }
    exchange.client = this.authenticate(req);
    switch (route.name) {
      case 'chat':
        return handleChat(context, exchange, req, res);
      case 'embeddings':
        return handleEmbeddings(context, exchange, req, res);
      case 'images':
        return handleImages(context, exchange, req, res);
      case 'models':
        return handleModels(context, exchange, res);
      case 'model':
        return handleModel(context, exchange, res, route.modelId ?? '');
      case 'metrics':
        return sendText(exchange, res, 200, await context.metrics.text(), context.metrics.contentType);
      default: {
        const unreachable: never = route.name;
        return unreachable;
      }
    }
  }

  private authenticate(req: IncomingMessage): GatewayClient {
    if (!this.authRequired) return ANONYMOUS;
    return this.tokens.authenticate(req.headers.authorization, this.context.now());
  }

  private async ready(exchange: Exchange, res: ServerResponse): Promise<void> {
    if (this.closing) return sendJson(exchange, res, 503, { status: 'draining' });
    const ok = await this.context.limits.ready();
    sendJson(exchange, res, ok ? 200 : 503, { status: ok ? 'ready' : 'store unreachable' });
  }

  private fail(exchange: Exchange, res: ServerResponse, error: unknown): void {
    if (res.destroyed && !res.writableFinished) return; // the client left (a broken upload, a cut stream)
    const answer = toGatewayError(error);
    if (!(error instanceof GatewayError) && !LLMError.isInstance(error)) {
      this.logger.error(
        { error, requestId: exchange.id },
        'switchboard gateway: request failed unexpectedly',
      );
    }
    sendError(exchange, res, this.closing ? this.withClose(answer) : answer);
  }

  private withClose(error: GatewayError): GatewayError {
    return new GatewayError(error.status, error.type, error.code, error.message, {
      ...error.options,
      headers: { ...error.options.headers, connection: 'close' },
    });
  }

  private finished(exchange: Exchange, req: IncomingMessage, res: ServerResponse): void {
    this.inFlight.delete(exchange);
    if (!res.writableFinished) {
      // The client left first: stop the upstream call now.
      exchange.abort(new LLMError('ABORTED', 'The client closed the connection.'));
      exchange.errorCode ??= 'client_closed_request';
      if (exchange.status === 0) exchange.status = 499;
    }
    const { metrics, labels } = this.context;
    metrics.ended(exchange, labels.of(exchange.answered, exchange.requested));
    if (this.accessLog != null) {
      const url = req.url ?? '/';
      const query = url.indexOf('?');
      this.accessLog.write(
        exchange,
        req.method ?? '-',
        query === -1 ? url : url.slice(0, query),
        req.socket.remoteAddress,
      );
    }
    exchange.release();
    if (this.inFlight.size === 0) this.wakeIdle?.();
  }
}
