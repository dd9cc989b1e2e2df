import { describe, it } from 'vitest';
import { defineProviderConformance } from '../../testing/index.js';
import { anthropicTarget } from '../test-support/conformance-targets.js';

defineProviderConformance(anthropicTarget, { describe, it });
