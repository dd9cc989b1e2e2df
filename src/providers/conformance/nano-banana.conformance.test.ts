import { describe, it } from 'vitest';
import { defineProviderConformance } from '../../testing/index.js';
import { nanoBananaTarget } from '../test-support/conformance-targets.js';

defineProviderConformance(nanoBananaTarget, { describe, it });
