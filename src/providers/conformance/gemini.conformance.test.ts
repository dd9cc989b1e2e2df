import { describe, it } from 'vitest';
import { defineProviderConformance } from '../../testing/index.js';
import { geminiTarget } from '../test-support/conformance-targets.js';

defineProviderConformance(geminiTarget, { describe, it });
