import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** The test MCP server's tools: add, weather, fail, multi, notes.search, env, slow. */
export declare function createTestServer(): McpServer;
