import { LLMError } from '../errors/llm-error.js';
import { isPlainObject } from '../schema/copy-plain.js';
import type { FunctionToolSpec, JsonSchema, RunContext, ToolProvider } from '../spec/index.js';
import { EMPTY_PARAMETERS } from './tool-definition.js';
import { messageOf } from './tool-output.js';

/** An MCP server started as a child process, spoken to over stdio. */
export interface McpStdioServer {
  /** Provider name (used in logs and errors). */
  name: string;
  /** Executable to start, e.g. `'npx'` or `process.execPath`. */
  command: string;
  args?: string[];
  /** Extra environment variables, merged over the SDK's safe default environment (PATH, HOME, …). */
  env?: Record<string, string>;
  /** Working directory of the server. @default the current one */
  cwd?: string;
  /** Where the server's stderr goes. @default 'inherit' */
  stderr?: 'inherit' | 'ignore' | 'pipe';
}

/** An MCP server reached over streamable HTTP. */
export interface McpHttpServer {
  name: string;
  /** The server's MCP endpoint, e.g. `https://mcp.example.com/mcp`. */
  url: string | URL;
  /** Sent with every request (authentication, for instance). */
  headers?: Record<string, string>;
}

/** Options of `createMcpToolProvider`. */
export type McpToolProviderOptions = (McpStdioServer | McpHttpServer) & {
  /** Most time one MCP request (list or call) may take. @default the SDK's (60000) */
  timeoutMs?: number;
  /** Prepended to every tool name (`'fs_'` → `fs_read_file`), to keep several servers apart. @default '' */
  toolNamePrefix?: string;
};

/** A tool provider backed by an MCP server; `close()` ends the connection (and the child process). */
export interface McpToolProvider extends ToolProvider {
  close(): Promise<void>;
}

/** Test seam: how SDK modules are loaded. */
export interface McpProviderDeps {
  importModule?: (specifier: string) => Promise<unknown>;
}

// Structural views of the SDK (its types must not leak into this package's declarations).
interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema?: unknown;
}
interface McpContentItem {
  type: string;
  text?: string;
  mimeType?: string;
  resource?: { uri?: string; text?: string; mimeType?: string };
}
interface McpCallResult {
  content?: McpContentItem[];
  structuredContent?: unknown;
  isError?: boolean;
  toolResult?: unknown;
}
interface RequestOptions {
  signal?: AbortSignal;
  timeout?: number;
}
interface McpClient {
  connect(transport: unknown, options?: RequestOptions): Promise<void>;
  listTools(
    params?: { cursor?: string },
    options?: RequestOptions,
  ): Promise<{ tools: McpToolInfo[]; nextCursor?: string }>;
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    resultSchema?: undefined,
    options?: RequestOptions,
  ): Promise<McpCallResult>;
  close(): Promise<void>;
  onclose?: () => void;
}
type ClientClass = new (
  info: { name: string; version: string },
  options: { capabilities: object },
) => McpClient;

const SDK = '@modelcontextprotocol/sdk';
const INSTALL_HINT = `npm install ${SDK}`;

/**
 * A `ToolProvider` for an MCP server (stdio or streamable HTTP), through the official MCP SDK (an optional
 * peer dependency, loaded on first use). Each server tool becomes a function tool: its `inputSchema` is the
 * parameters (names outside `[a-zA-Z0-9_-]` get `_`), and `execute` calls the tool: the model gets
 * `structuredContent` when the server sends it, else the text items joined by newlines (other items appear
 * as `[image image/png]`-style placeholders); a result with `isError` is thrown, so the model sees an
 * `ExecutionError`. The tool's `RunContext.signal` cancels the MCP request.
 *
 * @throws (on first use) LLMError `CONFIGURATION_ERROR` when the SDK is not installed.
 * @example
 * registerToolProvider(createMcpToolProvider({ name: 'files', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '.'] }));
 * await llm.chat('What is in README.md?', { tools: ['read_text_file'] });
 */
export function createMcpToolProvider(
  options: McpToolProviderOptions,
  deps: McpProviderDeps = {},
): McpToolProvider {
  checkOptions(options);
  return new McpProvider(options, deps.importModule ?? ((specifier) => import(specifier)));
}

class McpProvider implements McpToolProvider {
  readonly name: string;
  private connecting: Promise<McpClient> | undefined;

  constructor(
    private readonly options: McpToolProviderOptions,
    private readonly importModule: (specifier: string) => Promise<unknown>,
  ) {
    this.name = options.name;
  }

  async initialize(): Promise<void> {
    await this.client();
  }

  async discoverTools(): Promise<FunctionToolSpec[]> {
    const client = await this.client();
    const infos: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(
        cursor !== undefined ? { cursor } : undefined,
        this.requestOptions(),
      );
      infos.push(...(page.tools ?? []));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    const tools: FunctionToolSpec[] = [];
    const names = new Set<string>();
    for (const info of infos) {
      const name = exposedName(this.options.toolNamePrefix ?? '', info.name);
      if (names.has(name)) continue;
      names.add(name);
      tools.push(this.toolOf(info, name));
    }
    return tools;
  }

  async close(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    if (connecting === undefined) return;
    try {
      await (await connecting).close();
    } catch {
      // a failed connection has nothing to close
    }
  }

  private toolOf(info: McpToolInfo, name: string): FunctionToolSpec {
    const parameters: JsonSchema = isPlainObject(info.inputSchema)
      ? { ...info.inputSchema }
      : { ...EMPTY_PARAMETERS, properties: {} };
    if (parameters.type === undefined) parameters.type = 'object';
    const spec: FunctionToolSpec = {
      kind: 'function',
      name,
      parameters,
      execute: (args, context) => this.call(info.name, args, context),
    };
    if (info.description != null) spec.description = info.description;
    return spec;
  }

  private async call(tool: string, args: Record<string, unknown>, context: RunContext): Promise<unknown> {
    const client = await this.client();
    const options = this.requestOptions();
    if (context.signal !== undefined) options.signal = context.signal;
    const result = await client.callTool({ name: tool, arguments: args }, undefined, options);
    if (result.isError === true) {
      const text = textOf(result.content ?? []);
      throw new Error(text !== '' ? text : `MCP tool '${tool}' reported an error`);
    }
    if (result.structuredContent != null) return result.structuredContent;
    if (result.content === undefined && 'toolResult' in result) return result.toolResult;
    return textOf(result.content ?? []);
  }

  private requestOptions(): RequestOptions {
    return this.options.timeoutMs !== undefined ? { timeout: this.options.timeoutMs } : {};
  }

  private client(): Promise<McpClient> {
    if (this.connecting === undefined) {
      const connecting = this.connect();
      this.connecting = connecting;
      connecting.catch(() => {
        if (this.connecting === connecting) this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  private async connect(): Promise<McpClient> {
    const { Client } = (await this.load('client/index.js')) as { Client: ClientClass };
    const transport = await this.transport();
    const client = new Client({ name: 'switchboard-llm', version: '0.1.0' }, { capabilities: {} });
    try {
      await client.connect(transport, this.requestOptions());
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new LLMError(
        'API_REQUEST_FAILED',
        `MCP server '${this.name}': could not connect: ${messageOf(error)}`,
        { cause: error },
      );
    }
    const current = this.connecting;
    // A dropped connection (server exited) reconnects on the next use.
    client.onclose = () => {
      if (this.connecting === current) this.connecting = undefined;
    };
    return client;
  }

  private async transport(): Promise<unknown> {
    const options = this.options;
    if ('command' in options) {
      const stdio = (await this.load('client/stdio.js')) as {
        StdioClientTransport: new (params: Record<string, unknown>) => unknown;
        getDefaultEnvironment(): Record<string, string>;
      };
      const params: Record<string, unknown> = {
        command: options.command,
        args: options.args ?? [],
        env: { ...stdio.getDefaultEnvironment(), ...(options.env ?? {}) },
      };
      if (options.cwd !== undefined) params.cwd = options.cwd;
      if (options.stderr !== undefined) params.stderr = options.stderr;
      return new stdio.StdioClientTransport(params);
    }
    const http = (await this.load('client/streamableHttp.js')) as {
      StreamableHTTPClientTransport: new (url: URL, options: { requestInit?: RequestInit }) => unknown;
    };
    const init: RequestInit = options.headers !== undefined ? { headers: { ...options.headers } } : {};
    return new http.StreamableHTTPClientTransport(new URL(String(options.url)), { requestInit: init });
  }

  private async load(path: string): Promise<unknown> {
    try {
      return await this.importModule(`${SDK}/${path}`);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
        throw new LLMError(
          'CONFIGURATION_ERROR',
          `MCP tool provider '${this.name}' needs the MCP SDK, which is not installed: run \`${INSTALL_HINT}\``,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

function checkOptions(options: McpToolProviderOptions): void {
  const fail = (message: string) => new LLMError('INVALID_PARAMETER', `createMcpToolProvider: ${message}`);
  if (!isPlainObject(options)) throw fail('options must be an object');
  if (typeof options.name !== 'string' || options.name === '') throw fail('name must be a non-empty string');
  const hasCommand = 'command' in options && options.command !== undefined;
  const hasUrl = 'url' in options && options.url !== undefined;
  if (hasCommand === hasUrl)
    throw fail(`server '${options.name}': give either command (stdio) or url (HTTP)`);
  if (hasCommand && (typeof options.command !== 'string' || options.command === '')) {
    throw fail(`server '${options.name}': command must be a non-empty string`);
  }
  if (hasUrl) {
    let protocol = '';
    try {
      protocol = new URL(String(options.url)).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw fail(`server '${options.name}': url must be an http(s) URL`);
    }
  }
  if (options.toolNamePrefix !== undefined && !/^[a-zA-Z0-9_-]*$/.test(options.toolNamePrefix)) {
    throw fail(`server '${options.name}': toolNamePrefix may hold only letters, digits, _ and -`);
  }
}

/** The name the model sees: prefix + the server's name with characters providers reject turned into `_`. */
function exposedName(prefix: string, name: string): string {
  return `${prefix}${name.replace(/[^a-zA-Z0-9_-]/g, '_')}`.slice(0, 64);
}

/** Text items joined by newlines; other items as `[type mime]` placeholders. */
function textOf(content: readonly McpContentItem[]): string {
  return content
    .map((item) => {
      if (item.type === 'text' && typeof item.text === 'string') return item.text;
      if (item.type === 'resource' && typeof item.resource?.text === 'string') return item.resource.text;
      const mime = item.mimeType ?? item.resource?.mimeType;
      return `[${item.type}${mime !== undefined ? ` ${mime}` : ''}]`;
    })
    .join('\n');
}
