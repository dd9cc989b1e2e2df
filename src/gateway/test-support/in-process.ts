import { request as httpRequest } from 'node:http';
import { createLLM, type LLM } from '../../client/llm.js';
import type { LLMConfig } from '../../spec/index.js';
import { Gateway, type GatewayOptions } from '../gateway.js';

/** A gateway in this process, its access-log text, and a fetch helper. */
export interface TestGateway {
  gateway: Gateway;
  /** The client it serves. */
  llm: LLM;
  url: string;
  log: string[];
  /** Parsed access-log lines (after the next flush). */
  lines(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Starts a gateway on 127.0.0.1 (random port) over `createLLM(config, { recordSpend: false })`. */
export async function startTestGateway(
  config: LLMConfig,
  options: Omit<GatewayOptions, 'llm'> = {},
): Promise<TestGateway> {
  const log: string[] = [];
  const llm = createLLM(config, { recordSpend: false });
  const gateway = new Gateway({
    llm,
    accessLog: (text) => log.push(text),
    ...options,
  });
  const { url } = await gateway.listen(0, '127.0.0.1');
  return {
    gateway,
    llm,
    url,
    log,
    lines: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return log
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    close: () => gateway.drain(1000),
  };
}

/** A raw HTTP answer (status, headers, body text). */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with `node:http` (no client-side retries or validation), resolving with the whole answer. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
