// What a reader typed into an island's server-rendered fields before it hydrated. Hydration leaves
// it in the field but not in the state, and the first re-render writes the server's values back
// over it; an island reads it once, on mount (a layout effect, before that re-render), and takes it
// as typed. Shared by the islands with fields (BroadcastCost, TorTable); a module of its own, so
// that neither brings the other's code.

/** Each field's text: the input's value where the input is there, else the text the state holds. */
export function typedBeforeHydration<K extends string>(texts: Readonly<Record<K, string>>, inputs: { readonly [F in K]: { value: string } | null | undefined }): Record<K, string> {
  const typed = { ...texts } as Record<K, string>;
  for (const key of Object.keys(texts) as K[]) typed[key] = inputs[key]?.value ?? texts[key];
  return typed;
}
