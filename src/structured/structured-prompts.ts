import type { JsonSchema } from '../spec/index.js';

/** Languages of the built-in prompts. */
export type PromptLocale = 'en' | 'zh';

/** Name of the one function tool of the `tool_call` strategy (the seed's name). */
export const STRUCTURED_TOOL_NAME = 'return_structured_response';

/**
 * Built-in re-ask templates (seed-spec §8.2 `DEFAULT_IVR_TEMPLATE`: reflect, fix, output only JSON).
 * `{error}` is replaced by the issues, one per line.
 */
export const DEFAULT_ERROR_PROMPTS: Readonly<Record<PromptLocale, string>> = {
  en:
    'Your response did not pass schema validation.\nError details:\n{error}\n\n' +
    'Please correct it:\n1. Reflect: work out why this error happened.\n' +
    '2. Fix: produce a new JSON value that satisfies the schema.\n' +
    'Output only the corrected JSON, without Markdown fences or any other explanation.',
  zh:
    '你的响应未能通过结构校验。\n错误详情:\n{error}\n\n请执行以下步骤进行修正：\n' +
    '1. 反思：分析为什么会出现这个错误。\n2. 修正：生成一个新的、符合 Schema 要求的 JSON 对象。\n' +
    '请直接输出修正后的 JSON，不要包含 Markdown 标记或其他解释。',
};

/** The same for the `tool_call` strategy, where the answer is a tool call. */
const TOOL_ERROR_PROMPTS: Readonly<Record<PromptLocale, string>> = {
  en:
    'The arguments did not pass schema validation.\nError details:\n{error}\n\n' +
    'Please correct them:\n1. Reflect: work out why this error happened.\n' +
    `2. Fix: call \`${STRUCTURED_TOOL_NAME}\` again with arguments that satisfy the schema.`,
  zh:
    '参数未能通过结构校验。\n错误详情:\n{error}\n\n请执行以下步骤进行修正：\n' +
    '1. 反思：分析为什么会出现这个错误。\n' +
    `2. 修正：使用符合 Schema 要求的参数重新调用 \`${STRUCTURED_TOOL_NAME}\`。`,
};

const PLACEHOLDER = /\{(?:error|error_msg)\}/g;

/**
 * The re-ask text: `{error}` and `{error_msg}` replaced by `error`, nothing else touched (other braces,
 * `$` patterns in the error). A template without a placeholder gets the error appended after a blank line.
 *
 * @example renderErrorPrompt('Fix {error}; keep {"a": 1} as is', '- a: bad') // → 'Fix - a: bad; keep {"a": 1} as is'
 */
export function renderErrorPrompt(template: string, error: string): string {
  let found = false;
  const out = template.replace(PLACEHOLDER, () => {
    found = true;
    return error;
  });
  return found ? out : `${template}\n\n${error}`;
}

/** The built-in re-ask template for a locale and strategy. */
export function defaultErrorPrompt(locale: PromptLocale, toolCall: boolean): string {
  return (toolCall ? TOOL_ERROR_PROMPTS : DEFAULT_ERROR_PROMPTS)[locale];
}

/** `prompt` strategy: the schema in the system instructions (seed-spec §8.2 step 7). */
export function schemaInstruction(schema: JsonSchema, locale: PromptLocale): string {
  const pretty = JSON.stringify(schema, null, 2);
  const lead =
    locale === 'zh'
      ? '请严格按照以下 JSON Schema 格式进行响应。不应包含任何额外的解释、注释或代码块标记，只返回一个合法的 JSON 值。'
      : 'Respond strictly in the format of the following JSON Schema. Do not include any extra explanation, ' +
        'comments or code fences; return only one valid JSON value.';
  return `${lead}\n\nJSON Schema:\n\`\`\`json\n${pretty}\n\`\`\``;
}

/** `tool_call` strategy: the system instruction (`toolsFirst`: the caller's tools may be used first). */
export function toolInstruction(locale: PromptLocale, toolsFirst = false): string {
  if (toolsFirst) {
    return locale === 'zh'
      ? `先按需调用其他工具获取信息，然后调用工具 \`${STRUCTURED_TOOL_NAME}\` 提交最终的结构化数据。`
      : `Use the other tools as needed to get the information, then call \`${STRUCTURED_TOOL_NAME}\` to submit the final structured data.`;
  }
  return locale === 'zh'
    ? `请调用提供的工具 \`${STRUCTURED_TOOL_NAME}\` 提交结构化数据。`
    : `Call the provided tool \`${STRUCTURED_TOOL_NAME}\` to submit the structured data.`;
}

/** AutoCoT (seed-spec §8.3): the instruction and the description of the `reasoning` field. */
export function autoCoTTexts(locale: PromptLocale): { instruction: string; reasoningDescription: string } {
  return locale === 'zh'
    ? {
        instruction:
          '请务必先在 `reasoning` 字段中进行详细的一步步推理，确保逻辑正确，然后再填充 `result` 字段。',
        reasoningDescription:
          '在生成最终结果之前，请务必在此字段中详细描述你的推理步骤、计算过程或思考逻辑。禁止留空。',
      }
    : {
        instruction:
          'Be sure to reason step by step in the `reasoning` field first, making sure the logic is right, ' +
          'then fill in the `result` field.',
        reasoningDescription:
          'Before producing the final result, describe your reasoning steps, calculations or thinking in ' +
          'detail in this field. Must not be empty.',
      };
}
