import type { LLMErrorCode } from '../../spec/index.js';
import type { CaseSpec } from './case-spec.js';
import { check, equal, fail, failureOf, like, show } from './conformance-assert.js';
import { KEYS, PROVIDER, RETRY, type Run, withRun } from './conformance-run.js';
import type { ConformanceErrorKind, ConformanceTarget } from './conformance-types.js';
import { primaryCall } from './primary-call.js';

/** What the key pool does after the failure (API.md §6), as the suite observes it. */
type KeyEffect =
  /** Disabled; the retry goes to the other key. */
  | 'disabled'
  /** A hard cooldown of an hour (no hint); the retry goes to the other key. */
  | 'cooldown'
  /** A hard cooldown of the hinted length; the retry goes at once to the other key. */
  | 'hint'
  /** A soft cooldown: the retry prefers the other key. */
  | 'soft'
  /** Retried, no key effect required. */
  | 'retry'
  /** Not retried; the key is neither disabled nor cooling. */
  | 'none';

interface Expectation {
  code: LLMErrorCode;
  effect: KeyEffect;
  /** Requests a call makes when every attempt fails this way (two keys, maxRetries 3). */
  attempts: number;
  title: string;
  /** Found while reading a successful HTTP answer: the attempt itself succeeded (no code on it). */
  inAnswer?: true;
}

const HINT_SECONDS = 30;

/** API.md §4 and §6, per failure class. */
export const ERROR_EXPECTATIONS: Readonly<Record<ConformanceErrorKind, Expectation>> = {
  invalidKey: {
    code: 'API_KEY_INVALID',
    effect: 'disabled',
    attempts: KEYS.length,
    title: 'invalid key → API_KEY_INVALID: the key is disabled, the call moves to the other key',
  },
  location: {
    code: 'USER_LOCATION_NOT_SUPPORTED',
    effect: 'none',
    attempts: 1,
    title: 'unsupported location → USER_LOCATION_NOT_SUPPORTED, not retried',
  },
  contextLength: {
    code: 'CONTEXT_LENGTH_EXCEEDED',
    effect: 'none',
    attempts: 1,
    title: 'prompt too long → CONTEXT_LENGTH_EXCEEDED, not retried',
  },
  quota: {
    code: 'API_QUOTA_EXCEEDED',
    effect: 'cooldown',
    attempts: KEYS.length,
    title: 'quota exhausted → API_QUOTA_EXCEEDED: the key cools for an hour, the call moves to the other key',
  },
  invalidParameter: {
    code: 'INVALID_PARAMETER',
    effect: 'none',
    attempts: 1,
    title: 'any other 400 → INVALID_PARAMETER, not retried',
  },
  modelNotFound: {
    code: 'MODEL_NOT_FOUND',
    effect: 'none',
    attempts: 1,
    title: 'unknown model → MODEL_NOT_FOUND, not retried',
  },
  rateLimit: {
    code: 'API_RATE_LIMITED',
    effect: 'hint',
    attempts: KEYS.length,
    title: `rate limit with a ${HINT_SECONDS} s hint → API_RATE_LIMITED: the key cools for the hint, the retry goes at once to the other key`,
  },
  serverError: {
    code: 'API_SERVER_ERROR',
    effect: 'soft',
    attempts: RETRY.maxRetries + 1,
    title: '500 → API_SERVER_ERROR: soft cooldown, retried on the other key',
  },
  overloaded: {
    code: 'API_SERVER_ERROR',
    effect: 'soft',
    attempts: RETRY.maxRetries + 1,
    title: 'overloaded → API_SERVER_ERROR: soft cooldown, retried on the other key',
  },
  errorIn200: {
    code: 'API_RESPONSE_INVALID',
    effect: 'retry',
    attempts: RETRY.maxRetries + 1,
    title: 'an error object in a 200 body → API_RESPONSE_INVALID, retried',
  },
  contentFiltered: {
    code: 'CONTENT_FILTERED',
    effect: 'none',
    attempts: 1,
    title: 'safety block or refusal → CONTENT_FILTERED, not retried',
    inAnswer: true,
  },
};

/** Retryable as API.md §5 derives it from the code. */
function retryableOf(effect: KeyEffect): boolean {
  return effect !== 'none';
}

async function statsOf<R>(run: Run<R>, keyId: string | undefined) {
  const stats = await run.llm.keys.stats(PROVIDER);
  return stats.find((key) => key.keyId === keyId) ?? fail(`no key stats for ${show(keyId)}`);
}

/** Every attempt fails: the error the caller gets, its code, retryability, attempts and context. */
async function everyAttemptFails<R>(run: Run<R>, target: ConformanceTarget<R>, kind: ConformanceErrorKind) {
  const expected = ERROR_EXPECTATIONS[kind];
  const reply = target.wire.errors[kind] ?? fail(`errors.${kind}`);
  for (let index = 0; index < expected.attempts; index++) {
    run.server.enqueue(reply({ retryAfterSeconds: HINT_SECONDS }));
  }
  const primary = primaryCall(run, target);
  const error = await failureOf(primary.call({ timeoutMs: 5000 }), kind);
  equal(error.code, expected.code, 'error.code');
  equal(error.retryable, retryableOf(expected.effect), 'error.retryable');
  equal(
    error.attempts?.map((attempt) => attempt.code),
    Array.from({ length: expected.attempts }, () => (expected.inAnswer ? undefined : expected.code)),
    'error.attempts codes',
  );
  equal(run.server.requests.length, expected.attempts, 'requests sent');
  equal(error.provider, PROVIDER, 'error.provider');
  equal(error.model, primary.model, 'error.model');
  check(
    typeof error.friendlyMessage === 'string' && error.friendlyMessage !== '',
    'error.friendlyMessage is set',
  );
  const exposed = JSON.stringify({ message: error.message, details: error.details ?? null });
  check(!KEYS.some((key) => exposed.includes(key)), 'no API key in the error message or details');
  if (expected.effect === 'none') {
    const stats = await statsOf(run, error.attempts?.[0]?.keyId);
    check(
      stats.status !== 'disabled' && stats.status !== 'cooldown',
      `${kind} leaves the key usable, got ${stats.status}`,
    );
  }
  if (expected.effect === 'disabled') {
    // Both keys are disabled now: nothing is sent with a disabled key.
    const none = await failureOf(primary.call(), 'a call with every key disabled');
    equal(none.code, 'NO_AVAILABLE_KEYS', 'code of a call with every key disabled');
    equal(run.server.requests.length, expected.attempts, 'requests sent with every key disabled');
  }
}

/** The first attempt fails, the retry succeeds: which key it used and what happened to the first. */
async function retriedThenAnswered<R>(run: Run<R>, target: ConformanceTarget<R>, kind: ConformanceErrorKind) {
  const expected = ERROR_EXPECTATIONS[kind];
  const primary = primaryCall(run, target);
  const reply = target.wire.errors[kind] ?? fail(`errors.${kind}`);
  run.server.enqueue(reply({ retryAfterSeconds: HINT_SECONDS }), primary.ok());
  const { attempts } = await primary.call();
  like(attempts, [{ code: expected.code }, { status: 200 }], 'response.attempts');
  const [failed, answered] = attempts;
  if (expected.effect !== 'retry') {
    check(failed?.keyId !== answered?.keyId, `the retry used the other key: ${show(attempts)}`);
  }
  const stats = await statsOf(run, failed?.keyId);
  if (expected.effect === 'disabled' || expected.effect === 'cooldown' || expected.effect === 'hint') {
    // A disabled or hard-cooling key is not used again: the next calls go to the other key.
    run.server.enqueue(primary.ok(), primary.ok());
    for (const next of [await primary.call(), await primary.call()]) {
      equal(
        next.attempts[0]?.keyId,
        answered?.keyId,
        `the next call's key while ${show(failed?.keyId)} is out`,
      );
    }
  }
  switch (expected.effect) {
    case 'disabled':
      equal(stats.status, 'disabled', 'status of the failed key');
      break;
    case 'cooldown':
      equal(stats.status, 'cooldown', 'status of the failed key');
      check(
        stats.cooldownSecondsLeft > 600,
        `an hour of cooldown without a hint, got ${stats.cooldownSecondsLeft} s`,
      );
      break;
    case 'hint':
      equal(stats.status, 'cooldown', 'status of the failed key');
      check(
        stats.cooldownSecondsLeft > HINT_SECONDS - 10 && stats.cooldownSecondsLeft <= HINT_SECONDS,
        `the key cools for the ${HINT_SECONDS} s hint, got ${stats.cooldownSecondsLeft} s`,
      );
      check(
        (answered?.waitMs ?? 0) <= RETRY.maxDelayMs,
        `the retry did not wait out the hint: ${show(attempts)}`,
      );
      break;
    case 'soft':
    case 'retry':
    case 'none':
      break;
    default: {
      const unreachable: never = expected.effect;
      return unreachable;
    }
  }
}

function errorCase(kind: ConformanceErrorKind): CaseSpec {
  const expected = ERROR_EXPECTATIONS[kind];
  return {
    name: `errors: ${expected.title}`,
    capability: 'errors',
    needs: [{ primary: true }, { kit: `errors.${kind}` }],
    async run(run, target) {
      await everyAttemptFails(run, target, kind);
      if (expected.effect === 'none') return;
      // A fresh client (clean key health) for the retry half.
      await withRun(target, (fresh) => retriedThenAnswered(fresh, target, kind));
    },
  };
}

export const errorCases: readonly CaseSpec[] = [
  ...(Object.keys(ERROR_EXPECTATIONS) as ConformanceErrorKind[]).map(errorCase),
  {
    name: 'errors: a connection reset → API_REQUEST_FAILED, retried; the answer comes from the retry',
    capability: 'errors',
    needs: [{ primary: true }, { kit: 'reset' }],
    async run(run, target) {
      const primary = primaryCall(run, target);
      run.server.enqueue(run.wire.reset?.() ?? fail('reset'), primary.ok());
      const { attempts } = await primary.call();
      like(attempts, [{ code: 'API_REQUEST_FAILED' }, { status: 200 }], 'response.attempts');
      const stats = await statsOf(run, attempts[0]?.keyId);
      check(
        stats.status !== 'disabled' && stats.status !== 'cooldown',
        `a network failure cools no key, got ${stats.status}`,
      );
    },
  },
];
