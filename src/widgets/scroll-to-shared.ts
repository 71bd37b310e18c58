// The share-link scroll script, inlined once in every chapter page (src/layouts/ChapterLayout.astro),
// after the chapter's players. A share link names its experiment in the fragment; a player hydrates
// only when it is visible, so this script scrolls the player the link is for into view at once,
// before any JavaScript has loaded. It is a constant (no data in it) because the
// Content-Security-Policy allows it by its hash, which astro.config.mjs computes from this very
// string: change it freely, the hash follows. Written without & < > " so that it is the same text
// in the HTML as here (the hash is of that text).
export const SCROLL_TO_SHARED = `{let m=location.hash.match(/^#vnet=([^~]+)~/);if(m)for(let s of document.querySelectorAll('.vp[data-scenario]'))if(s.dataset.scenario==m[1]){s.scrollIntoView();break}}`;
