// The share-link scroll script that every ScenarioPlayer renders inline in its server HTML.
// A share link names its experiment in the fragment; a player hydrates only when it is visible,
// so this script, right inside the player's <section>, scrolls it into view at once when the link
// is for it. It is a constant (no data in it) because the Content-Security-Policy allows it by its
// hash, which astro.config.mjs computes from this very string: change it freely, the hash follows.
// Written without & < > " so that it is the same text in the HTML as here (the hash is of that text).
export const SCROLL_TO_SHARED = `{let m=location.hash.match(/^#vnet=([^~]+)~/),s=document.currentScript.parentNode;if(m)if(s.dataset.scenario==m[1])s.scrollIntoView()}`;
