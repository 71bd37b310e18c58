// The editor's validator, off the page's main thread: a module worker that answers "is this draft
// valid?" and "what does this file hold?" with the very functions the page and the CLI call
// (validateScenario, importText), so that a verdict is the same wherever it was reached.
// checker.ts starts it, only for drafts and files big enough to keep the page busy.

import { validateScenario } from '../sim/scenario/validate';
import { importText } from './transfer';
import type { CheckRequest, CheckResponse } from './checker';

const scope = self as unknown as { onmessage: ((event: MessageEvent<CheckRequest>) => void) | null; postMessage(message: CheckResponse): void };

scope.onmessage = ({ data: request }) => {
  const response: CheckResponse =
    request.job === 'validate'
      ? { seq: request.seq, job: 'validate', result: validateScenario(request.draft) }
      : { seq: request.seq, job: 'import', verdict: importText(request.text, request.id) };
  scope.postMessage(response);
};
