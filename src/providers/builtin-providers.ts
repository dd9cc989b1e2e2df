import { anthropicProvider } from './anthropic/anthropic-provider.js';
import { geminiProvider } from './gemini/gemini-provider.js';
import { nanoBananaProvider } from './nano-banana/nano-banana-provider.js';
import {
  arkProvider,
  deepseekProvider,
  openaiProvider,
  openrouterProvider,
  zhipuProvider,
} from './openai/openai-provider.js';
import { imagesProvider } from './openai-images/images-provider.js';
import { responsesProvider } from './openai-responses/responses-provider.js';
import { registerProvider } from './provider-registry.js';
import { smartProvider } from './smart/smart-provider.js';

// The built-in apiTypes, registered when this module loads (config validation imports it, so they are
// always there before a config is checked). One line per provider; the order is the order error
// messages list them in.
registerProvider(openaiProvider);
registerProvider(deepseekProvider);
registerProvider(zhipuProvider);
registerProvider(arkProvider);
registerProvider(openrouterProvider);
registerProvider(responsesProvider);
registerProvider(geminiProvider);
registerProvider(imagesProvider);
registerProvider(nanoBananaProvider);
registerProvider(anthropicProvider);
registerProvider(smartProvider);
