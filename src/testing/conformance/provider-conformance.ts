import { abortCases } from './abort-cases.js';
import { type CaseSpec, skipReason } from './case-spec.js';
import { chatCases } from './chat-cases.js';
import { withRun } from './conformance-run.js';
import type { ConformanceCase, ConformanceTarget, TestRegistrar } from './conformance-types.js';
import { errorCases } from './error-cases.js';
import { mediaCases } from './media-cases.js';
import { reasoningCases } from './reasoning-cases.js';
import { streamFaultCases } from './stream-fault-cases.js';
import { structuredCases } from './structured-cases.js';
import { toolCases } from './tool-cases.js';

const SPECS: readonly CaseSpec[] = [
  ...chatCases,
  ...streamFaultCases,
  ...toolCases,
  ...structuredCases,
  ...reasoningCases,
  ...errorCases,
  ...abortCases,
  ...mediaCases,
];

/**
 * The provider conformance suite for one target, as plain data: every case of API.md's provider contract
 * (text, streams, usage, tools, structured output, reasoning artefacts, every error class, cut streams,
 * in-stream errors, abort, deadline, embeddings, images, vision), each run through `createLLM` against a fresh
 * server scripted with the target's wire kit. Cases that do not apply carry a `skip` reason. Register the
 * target's `apiType` (`registerProvider`) before running them. Use `defineProviderConformance` to hand them
 * to a test framework, or run them yourself:
 * @example
 * for (const c of providerConformanceCases(target)) if (c.skip == null) await c.run();
 */
export function providerConformanceCases<R>(target: ConformanceTarget<R>): ConformanceCase[] {
  return SPECS.map((spec) => {
    const skip = skipReason(target, spec.needs);
    const conformanceCase: ConformanceCase = {
      name: spec.name,
      capability: spec.capability,
      run: async () => {
        if (skip != null) throw new Error(`${target.name}: "${spec.name}" does not apply: ${skip}`);
        await withRun(target, (run) => spec.run(run, target));
      },
    };
    if (skip != null) conformanceCase.skip = skip;
    return conformanceCase;
  });
}

/**
 * Registers the conformance suite of `target` with a test framework: one `describe` named after the target,
 * one `it` per case; a case that does not apply is registered with `it.skip`, its reason in the title (or,
 * without `it.skip`, as a test that logs the reason). Works with vitest, jest, mocha and `node:test`.
 * @example
 * import { describe, it } from 'vitest';
 * registerProvider(myProvider);
 * defineProviderConformance(myTarget, { describe, it });
 */
export function defineProviderConformance<R>(target: ConformanceTarget<R>, registrar: TestRegistrar): void {
  registrar.describe(`provider conformance: ${target.name}`, () => {
    for (const conformanceCase of providerConformanceCases(target)) {
      const reason = conformanceCase.skip;
      if (reason == null) {
        registrar.it(conformanceCase.name, () => conformanceCase.run());
        continue;
      }
      const title = `${conformanceCase.name} (skipped: ${reason})`;
      if (registrar.it.skip != null) registrar.it.skip(title, () => undefined);
      else
        registrar.it(title, async () =>
          console.info(`${target.name}: skipped "${conformanceCase.name}": ${reason}`),
        );
    }
  });
}
