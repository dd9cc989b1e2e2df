/**
 * @deprecated The dialect contract moved to the public spec (`src/spec/provider-dialects.ts`); import
 * it from `../spec/index.js`. This re-export only keeps older imports compiling.
 */
export type {
  ChatDialect,
  ChatRequestInput,
  ChatStreamParser,
  EmbeddingDialect,
  ImageDialect,
  Mapped,
  ParsedChat,
  PreparedTools,
  ProviderRequest,
  StreamDelta,
} from '../spec/index.js';
