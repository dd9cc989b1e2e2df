import type { Context, h, Session } from 'koishi';
import { errorReply } from './error-reply';
import { formatKeyStats } from './format-keys';
import { formatModelInfo, formatModelList } from './format-models';
import type { LLM } from './library-types';
import { adminRefusal, type Client, plain, type Runtime } from './runtime';

const TEST_PROMPT = 'Reply with the single word OK.';
const TEST_TIMEOUT_MS = 30_000;
const TEST_ANSWER_LIMIT = 100;

type Action = (client: Client, session: Session) => Promise<string>;

/** Runs `action` with the client, turning a missing client or a failure into a reply (plain text). */
async function guarded(runtime: Runtime, session: Session | undefined, action: Action): Promise<h> {
  const client = runtime.client;
  if (client === undefined || session === undefined) return plain(runtime.texts.notReady);
  try {
    return plain(await action(client, session));
  } catch (error) {
    return plain(
      errorReply(error, { lib: client.lib, logger: runtime.logger, texts: runtime.texts, detailed: true }),
    );
  }
}

function defaultModelOf(llm: LLM): string {
  try {
    return llm.models.getDefault();
  } catch {
    return '-';
  }
}

function providersOf(llm: LLM): string[] {
  return [...new Set(llm.models.list().map((model) => model.provider))];
}

async function testModel(llm: LLM, runtime: Runtime, model: string | undefined): Promise<string> {
  const info = llm.models.resolve(model);
  const started = Date.now();
  switch (info.kind) {
    case 'chat': {
      const response = await llm.chat(TEST_PROMPT, {
        model: info.name,
        config: { core: { maxTokens: 32 } },
        timeoutMs: TEST_TIMEOUT_MS,
      });
      const answer = response.text.replace(/\s+/g, ' ').trim().slice(0, TEST_ANSWER_LIMIT);
      return runtime.texts.testOk(info.name, Date.now() - started, answer === '' ? '""' : answer);
    }
    case 'embedding': {
      const [vector] = await llm.embed('ping', { model: info.name, timeoutMs: TEST_TIMEOUT_MS });
      return runtime.texts.testOk(info.name, Date.now() - started, `${vector?.length ?? 0} dimensions`);
    }
    default:
      return runtime.texts.testSkipped(info.name, info.kind);
  }
}

/**
 * The seed's `llm_manager` commands (API.md §17). Reading commands (`llm.list`, `llm.info`, showing
 * `llm.default`) are open to every user (authority 1); `llm.test` (spends quota), `llm.keys` (operational
 * state), `llm.reset-key` and setting `llm.default` need `adminAuthority`, as the seed kept the whole
 * command for superusers.
 */
export function registerAdminCommands(ctx: Context, runtime: Runtime): void {
  const { texts } = runtime;
  const admin = { authority: runtime.config.adminAuthority };

  ctx.command('llm', texts.describe.llm);

  ctx
    .command('llm.list', texts.describe.list)
    .action(({ session }) =>
      guarded(runtime, session, async ({ llm }) =>
        formatModelList(llm.models.list(), defaultModelOf(llm), texts),
      ),
    );

  ctx
    .command('llm.info <model:string>', texts.describe.info)
    .action(({ session }, model) =>
      guarded(runtime, session, async ({ llm }) =>
        formatModelInfo(llm.models.resolve(model), defaultModelOf(llm)),
      ),
    );

  ctx.command('llm.default [model:string]', texts.describe.default).action(({ session }, model) =>
    guarded(runtime, session, async ({ llm }, session) => {
      if (model == null || model === '') return texts.defaultIs(defaultModelOf(llm));
      const refusal = adminRefusal(session, runtime);
      if (refusal != null) return refusal;
      llm.models.setDefault(model);
      return texts.defaultSet(llm.models.getDefault());
    }),
  );

  ctx.command('llm.test [model:string]', texts.describe.test, admin).action(({ session }, model) =>
    guarded(runtime, session, async ({ llm }, session) => {
      return adminRefusal(session, runtime) ?? (await testModel(llm, runtime, model || undefined));
    }),
  );

  ctx.command('llm.keys [provider:string]', texts.describe.keys, admin).action(({ session }, provider) =>
    guarded(runtime, session, async ({ llm }, session) => {
      const refusal = adminRefusal(session, runtime);
      if (refusal != null) return refusal;
      const providers = provider != null && provider !== '' ? [provider] : providersOf(llm);
      const tables: string[] = [];
      for (const name of providers) tables.push(formatKeyStats(name, await llm.keys.stats(name), texts));
      return tables.join('\n\n');
    }),
  );

  ctx
    .command('llm.reset-key <provider:string> [keyId:string]', texts.describe.resetKey, admin)
    .action(({ session }, provider, keyId) =>
      guarded(runtime, session, async ({ llm }, session) => {
        const refusal = adminRefusal(session, runtime);
        if (refusal != null) return refusal;
        const id = keyId != null && keyId !== '' ? keyId : undefined;
        await llm.keys.reset(provider, id);
        return texts.resetDone(provider, id);
      }),
    );
}
