// The editor's validator, off the page's main thread: a module worker that answers "is this draft
// valid?" and "what does this file hold?" with the very functions the page and the CLI call
// (validateScenario, importText), so that a verdict is the same wherever it was reached.
// checker.ts starts it, only for drafts and files big enough to keep the page busy. Scenarios
// cross as JSON text both ways: far cheaper than cloning thousands of objects.

import { validateScenario } from '../sim/scenario/validate';
import { importText } from './transfer';
import type { CheckRequest, CheckResponse, Checked } from './checker';

const scope = self as unknown as { onmessage: ((event: MessageEvent<CheckRequest>) => void) | null; postMessage(message: CheckResponse): void };

scope.onmessage = ({ data: request }) => {
  let checked: Checked;
  if (request.job === 'validate') {
    const result = validateScenario(JSON.parse(request.text));
    checked = result.ok ? { ok: true, scenarioText: JSON.stringify(result.scenario), warnings: result.warnings } : result;
  } else {
    const imported = importText(request.text, request.id);
    checked = imported.ok ? { ok: true, scenarioText: JSON.stringify(imported.scenario), warnings: imported.warnings, ...(imported.note ? { note: imported.note } : {}) } : imported;
  }
  scope.postMessage({ seq: request.seq, checked });
};
