import { redactSecrets } from '../logging/secrets.js';

// Redaction looks this far past the cut, so a key that starts before the cut is seen whole (keys are far
// shorter) while a huge body is never scanned in full.
const REDACTION_MARGIN = 4096;

/**
 * The first `maxChars` characters of untrusted text (a provider body, a stream chunk) for an error's
 * message or `details`, with secrets redacted *before* the cut: cutting first could leave the head of a
 * key straddling the cut, which no longer matches any redaction rule.
 *
 * @example bodyPreview(responseText, 200) // '<html>… test…ts-1 …' (never a partial key)
 */
export function bodyPreview(text: string, maxChars: number): string {
  const window =
    text.length > maxChars + REDACTION_MARGIN ? text.slice(0, maxChars + REDACTION_MARGIN) : text;
  return redactSecrets(window).slice(0, maxChars);
}
