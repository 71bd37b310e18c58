// The Linux script as highlighted HTML, at build time (Shiki's bash grammar): each token a span
// with a class by what it is (comment, string, variable, keyword, command, number), never an
// inline style, so that the page's Content-Security-Policy (no inline styles) holds and the colours
// follow the site's themes (run-for-real.css). Server only: Shiki never reaches a page.

import { codeToTokens } from 'shiki';

/** Token classes, from the TextMate scopes of Shiki's bash grammar: the first that matches wins. */
const CLASSES: Array<[RegExp, string | null]> = [
  [/^comment/, 'sh-c'],
  // A command's plain arguments (`link set eth0 up`) stay plain; its options (`-n`) are marked.
  [/^constant\.other\.option/, 'sh-o'],
  [/^string\.unquoted/, null],
  [/^string|^punctuation\.definition\.string/, 'sh-s'],
  [/^variable|^punctuation\.definition\.variable/, 'sh-v'],
  [/^keyword|^storage/, 'sh-k'],
  [/^constant\.numeric/, 'sh-n'],
  [/^entity\.name\.function|^support\.function|^entity\.name\.command/, 'sh-f'],
];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function classOf(scopes: readonly string[]): string | null {
  // The innermost scope that names a class decides (a variable inside a string is a variable).
  for (let i = scopes.length - 1; i >= 0; i--) {
    for (const [pattern, name] of CLASSES) if (pattern.test(scopes[i]!)) return name;
  }
  return null;
}

/** Adjacent pieces of one class in one span. */
function spans(pieces: ReadonlyArray<{ name: string | null; text: string }>): string {
  let html = '';
  let i = 0;
  while (i < pieces.length) {
    const name = pieces[i]!.name;
    let text = '';
    while (i < pieces.length && pieces[i]!.name === name) text += pieces[i++]!.text;
    html += name ? `<span class="${name}">${escape(text)}</span>` : escape(text);
  }
  return html;
}

/** The script as HTML lines (no <pre>): spans with classes, text escaped. */
export async function highlightScript(text: string): Promise<string> {
  // tokenizeTimeLimit 0: no time limit per line. Shiki's default gives a line 500 ms and then stops
  // tokenizing it; with explanations it tokenizes each line twice, and when a busy machine stopped
  // one pass early and not the other, the build failed ("Cannot read properties of undefined
  // (reading 'startIndex')", once, on /run-for-real/macvlan-ipvlan-bridge/macvlan-passthru.json).
  // Stopping both would have been worse: the line's rest unhighlighted, the output machine-dependent.
  const { tokens } = await codeToTokens(text, { lang: 'bash', theme: 'github-light', includeExplanation: 'scopeName', tokenizeTimeLimit: 0 });
  return tokens
    .map((line) => spans(line.flatMap((token) => (token.explanation ?? [{ content: token.content, scopes: [] }]).map((part) => ({ name: classOf(part.scopes.map((s) => s.scopeName)), text: part.content })))))
    .join('\n');
}
