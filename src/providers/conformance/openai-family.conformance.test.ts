import { describe, it } from 'vitest';
import { defineProviderConformance } from '../../testing/index.js';
import { openaiFamilyTargets } from '../test-support/conformance-targets.js';

for (const target of openaiFamilyTargets) defineProviderConformance(target, { describe, it });
