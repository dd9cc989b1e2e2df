import { describe, it } from 'vitest';
import { defineProviderConformance } from '../../testing/index.js';
import { openaiResponsesTarget } from '../test-support/conformance-targets.js';

defineProviderConformance(openaiResponsesTarget, { describe, it });
