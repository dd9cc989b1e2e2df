import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { FunctionToolSpec, LLMToolCall, RunContext } from '../spec/index.js';
import { createMcpToolProvider, type McpToolProvider } from './mcp-tool-provider.js';
import { prepareTools } from './prepare-tools.js';
import { createTestServer } from './test-support/mcp-test-server.mjs';
import { ToolInvoker } from './tool-invoker.js';
import { ToolProviderRegistry } from './tool-registry.js';

const serverScript = fileURLToPath(new URL('./test-support/mcp-test-server.mjs', import.meta.url));
const ctx: RunContext = { scope: {}, extra: {} };

function call(name: string, args: Record<string, unknown>): LLMToolCall {
  return { id: `call_${name}`, name, arguments: args, rawArguments: JSON.stringify(args) };
}

function byName(tools: FunctionToolSpec[]): Map<string, FunctionToolSpec> {
  return new Map(tools.map((tool) => [tool.name, tool]));
}

describe('createMcpToolProvider over stdio', () => {
  let provider: McpToolProvider;

  beforeAll(async () => {
    provider = createMcpToolProvider({
      name: 'test-stdio',
      command: process.execPath,
      args: [serverScript],
      env: { SWITCHBOARD_MCP_TEST: 'from-env' },
      stderr: 'ignore',
    });
    await provider.initialize?.();
  });
  afterAll(async () => {
    await provider.close();
  });

  it('discovers the server tools as function tools with their input schemas', async () => {
    const tools = byName(await provider.discoverTools());
    expect([...tools.keys()].sort()).toEqual([
      'add',
      'env',
      'fail',
      'multi',
      'notes_search',
      'slow',
      'weather',
    ]);
    expect(tools.get('add')).toMatchObject({
      kind: 'function',
      name: 'add',
      description: 'Adds two numbers',
      parameters: {
        type: 'object',
        properties: { a: { type: 'number', description: 'First' }, b: { type: 'number' } },
        required: ['a', 'b'],
      },
    });
  });

  it('calls tools: text joined, structuredContent when present, isError thrown', async () => {
    const tools = byName(await provider.discoverTools());
    expect(await tools.get('add')!.execute!({ a: 2, b: 3 }, ctx)).toBe('5');
    expect(await tools.get('weather')!.execute!({ city: 'Paris' }, ctx)).toEqual({
      city: 'Paris',
      tempC: 21,
    });
    expect(await tools.get('multi')!.execute!({}, ctx)).toBe('first\nsecond\n[image image/png]');
    expect(await tools.get('notes_search')!.execute!({ q: 'x' }, ctx)).toBe('found x');
    expect(await tools.get('env')!.execute!({ key: 'SWITCHBOARD_MCP_TEST' }, ctx)).toBe('from-env');
    await expect(tools.get('fail')!.execute!({}, ctx)).rejects.toThrow('the database is down');
  });

  it('round-trips through the registry, prepareTools and the invoker', async () => {
    const registry = new ToolProviderRegistry();
    registry.register(provider);
    const { prepared, executables } = await prepareTools(['add', 'fail'], registry);
    expect(prepared.functions.map((tool) => tool.name)).toEqual(['add', 'fail']);
    const messages = await new ToolInvoker().executeBatch(
      [call('add', { a: 40, b: 2 }), call('fail', {})],
      executables,
    );
    expect(messages.map((m) => m.content)).toEqual([
      '42',
      '{"error_type":"ExecutionError","message":"the database is down","is_retryable":false}',
    ]);
  });

  it("cancels a running MCP call when the tool's signal aborts", async () => {
    const slow = byName(await provider.discoverTools()).get('slow')!;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 50);
    // The tool would run for 10 minutes: only the cancellation can end it before the test times out.
    await expect(slow.execute!({ ms: 600_000 }, { ...ctx, signal: controller.signal })).rejects.toThrow();
    // The connection still works afterwards.
    expect(await byName(await provider.discoverTools()).get('add')!.execute!({ a: 1, b: 1 }, ctx)).toBe('2');
  });

  it('reconnects after close()', async () => {
    const other = createMcpToolProvider({
      name: 'short-lived',
      command: process.execPath,
      args: [serverScript],
      stderr: 'ignore',
      toolNamePrefix: 'srv_',
    });
    const names = (await other.discoverTools()).map((tool) => tool.name);
    expect(names).toContain('srv_add');
    await other.close();
    await other.close();
    expect((await other.discoverTools()).length).toBe(7);
    await other.close();
  });
});

describe('createMcpToolProvider over streamable HTTP', () => {
  let server: Server;
  let url: string;
  const seenHeaders: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      seenHeaders.push(req.headers);
      const mcp = createTestServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('lists and calls tools, sending the configured headers', async () => {
    const provider = createMcpToolProvider({
      name: 'test-http',
      url,
      headers: { 'x-test-token': 'test-key-1' },
    });
    try {
      const tools = byName(await provider.discoverTools());
      expect(tools.has('weather')).toBe(true);
      expect(await tools.get('weather')!.execute!({ city: 'Oslo' }, ctx)).toEqual({
        city: 'Oslo',
        tempC: 21,
      });
      expect(seenHeaders.length).toBeGreaterThan(0);
      expect(seenHeaders.every((headers) => headers['x-test-token'] === 'test-key-1')).toBe(true);
    } finally {
      await provider.close();
    }
  });

  it('reports an unreachable server as a provider failure the registry isolates', async () => {
    const provider = createMcpToolProvider({ name: 'down', url: 'http://127.0.0.1:9/mcp' });
    await expect(provider.initialize?.()).rejects.toMatchObject({
      code: 'API_REQUEST_FAILED',
      message: expect.stringContaining("MCP server 'down': could not connect"),
    });
    const registry = new ToolProviderRegistry();
    registry.register(provider);
    registry.register({
      name: 'local',
      discoverTools: async () => [{ name: 'ping', parameters: {}, execute: () => 'pong' }],
    });
    expect((await registry.resolve(['ping']))[0]).toMatchObject({ name: 'ping' });
  });
});

describe('createMcpToolProvider without the SDK', () => {
  it('throws CONFIGURATION_ERROR naming the install command', async () => {
    const missing = Object.assign(new Error("Cannot find package '@modelcontextprotocol/sdk'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const provider = createMcpToolProvider(
      { name: 'files', command: 'npx' },
      { importModule: () => Promise.reject(missing) },
    );
    const error = await provider.initialize!().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(LLMError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR' });
    expect((error as LLMError).message).toContain('npm install @modelcontextprotocol/sdk');
  });

  it('checks its options', () => {
    expect(() => createMcpToolProvider({ name: 'x' } as never)).toThrow(
      'give either command (stdio) or url (HTTP)',
    );
    expect(() => createMcpToolProvider({ name: 'x', url: 'ftp://h/mcp' })).toThrow(
      'url must be an http(s) URL',
    );
    expect(() => createMcpToolProvider({ name: '', command: 'node' })).toThrow(
      'name must be a non-empty string',
    );
  });
});
