// A tiny MCP server for the tool-provider tests. `node mcp-test-server.mjs` serves it over stdio;
// `createTestServer()` builds one for other transports (the HTTP test).

import { pathToFileURL } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

export function createTestServer() {
  const server = new McpServer({ name: 'switchboard-test', version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: { a: z.number().describe('First'), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool(
    'weather',
    {
      description: 'Weather for a city',
      inputSchema: { city: z.string() },
      outputSchema: { city: z.string(), tempC: z.number() },
    },
    async ({ city }) => ({
      content: [{ type: 'text', text: `${city}: 21 C` }],
      structuredContent: { city, tempC: 21 },
    }),
  );
  server.registerTool('fail', { description: 'Always fails', inputSchema: {} }, async () => ({
    isError: true,
    content: [{ type: 'text', text: 'the database is down' }],
  }));
  server.registerTool('multi', { description: 'Two text items and an image', inputSchema: {} }, async () => ({
    content: [
      { type: 'text', text: 'first' },
      { type: 'text', text: 'second' },
      { type: 'image', data: 'AAAA', mimeType: 'image/png' },
    ],
  }));
  server.registerTool(
    'notes.search',
    { description: 'Dotted name', inputSchema: { q: z.string() } },
    async ({ q }) => ({
      content: [{ type: 'text', text: `found ${q}` }],
    }),
  );
  server.registerTool(
    'env',
    { description: 'Reads an environment variable', inputSchema: { key: z.string() } },
    async ({ key }) => ({ content: [{ type: 'text', text: process.env[key] ?? '(unset)' }] }),
  );
  server.registerTool(
    'slow',
    { description: 'Waits, honouring cancellation', inputSchema: { ms: z.number() } },
    async ({ ms }, extra) => {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        extra.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('cancelled'));
        });
      });
      return { content: [{ type: 'text', text: 'done' }] };
    },
  );
  return server;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await createTestServer().connect(new StdioServerTransport());
}
