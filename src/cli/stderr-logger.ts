import { redactSecrets } from '../logging/secrets.js';
import type { Logger } from '../spec/index.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

function render(objOrMessage: unknown, message: string | undefined): string {
  if (typeof objOrMessage === 'string') return objOrMessage;
  let fields: string;
  try {
    fields = JSON.stringify(objOrMessage, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message } : value,
    );
  } catch {
    fields = String(objOrMessage);
  }
  return message != null ? `${message} ${fields}` : fields;
}

/**
 * A pino-compatible logger writing one line per entry to stderr: warnings and errors always, debug and info
 * with `--debug`. The library sanitizes what it logs; lines are redacted once more here.
 */
export function createStderrLogger(write: (line: string) => void, debug: boolean): Logger {
  const minimum = debug ? 0 : LEVELS.indexOf('warn');
  const enabled = (level: string) => LEVELS.indexOf(level as Level) >= minimum;
  const at = (level: Level) => (objOrMessage: unknown, message?: string) => {
    if (!enabled(level)) return;
    const prefix = level === 'warn' ? 'warning' : level;
    write(redactSecrets(`${prefix}: ${render(objOrMessage, message)}\n`));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    isLevelEnabled: enabled,
    level: debug ? 'debug' : 'warn',
  };
}
