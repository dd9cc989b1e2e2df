import { describe, it } from 'vitest';
import { defineProviderConformance } from '../../testing/index.js';
import { openaiChatTarget } from '../test-support/conformance-targets.js';

defineProviderConformance(openaiChatTarget, { describe, it });
