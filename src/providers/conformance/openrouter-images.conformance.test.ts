import { describe, it } from 'vitest';
import { defineProviderConformance } from '../../testing/index.js';
import { openrouterImagesTarget } from '../test-support/conformance-targets.js';

defineProviderConformance(openrouterImagesTarget, { describe, it });
