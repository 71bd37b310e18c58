// Data the server writes beside an island (`<script type="application/json" id=…>`) for the browser
// to hydrate from without recomputing it: a player's first state and drawings, the living-room
// control's first count. Never run, only parsed; rendered back as the text that was read, so that
// hydration finds the same markup.

/** JSON that can sit inside a <script> element: no "</script>" can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The JSON the server wrote under `id`, as its text and parsed; null on the server, or if it is missing or broken. */
export function readServedJson<T>(id: string): { text: string; value: T } | null {
  if (typeof document === 'undefined') return null;
  const text = document.getElementById(id)?.textContent;
  if (!text) return null;
  try {
    return { text, value: JSON.parse(text) as T };
  } catch {
    return null;
  }
}
