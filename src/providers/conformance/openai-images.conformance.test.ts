import { describe, it } from 'vitest';
import { defineProviderConformance } from '../../testing/index.js';
import { openaiImagesTarget } from '../test-support/conformance-targets.js';

defineProviderConformance(openaiImagesTarget, { describe, it });
