// Runs a Koishi instance the way `koishi start` does — Koishi's Loader reads koishi.yml and require()s each
// plugin — then talks to it through the mock adapter. Plain Node, CommonJS, outside vitest.
// Usage: node run-koishi.cjs <koishi.yml> <plugin package dir>
// Prints one `RESULT <json>` line per step; exits on its own when everything is closed (no process.exit).
const { Loader } = require('koishi');

const [configFile, pluginDir] = process.argv.slice(2);

function result(step, value) {
  process.stdout.write(`RESULT ${JSON.stringify({ step, value })}\n`);
}

async function main() {
  const loader = new Loader();
  await loader.init(configFile);
  await loader.readConfig();
  const app = await loader.createApp();
  await app.start();

  const llm = app.switchboard;
  result('service', typeof llm?.chat === 'function');
  let closing;
  const close = llm.close.bind(llm);
  llm.close = () => {
    closing = close();
    return closing;
  };

  const alice = app.mock.client('alice', 'group-1');
  await app.mock.client('bob', 'group-1').receive('the meeting moved to Friday');
  result('ask', await alice.receive('ask hello'));

  // Dispose the plugin as Koishi does when it is disabled or reloaded, then stop the app.
  const plugin = require(pluginDir);
  app.registry.get(plugin).dispose();
  result('closeCalled', closing !== undefined);
  await closing;
  result('serviceAfterDispose', app.switchboard === undefined);
  await app.stop();
  setImmediate(() => {
    const open = process.getActiveResourcesInfo().filter((name) => name !== 'PipeWrap' && name !== 'TTYWrap');
    result('openResources', open);
  });
}

main().catch((error) => {
  result('error', String(error?.stack ?? error));
  process.exitCode = 1;
});
