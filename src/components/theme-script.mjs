// The theme script: the only inline script of the site shell. astro.config.mjs injects it into the
// <head> of every page (injectScript 'head-inline'), so it sits right after the CSP <meta>, is
// covered by it, and Astro adds its hash to script-src. It runs before first paint, so the page
// never flashes the wrong theme:
//  - <html data-theme="light|dark"> is always set to the effective theme
//    (the stored choice from the toggle, else the OS preference);
//  - <html class="js"> reveals the toggle button (hidden when scripts are off);
//  - one delegated click listener drives every [data-theme-toggle] button, whose label
//    ("Switch to dark theme" / "Switch to light theme") global.css picks from data-theme;
//  - the same listener keeps a chooser's cell (data-player="<name>" data-experiment="<id>", a
//    computed table's answer) clicked before its player has hydrated, in
//    window.vnetChoices.waiting[name]: the player listens for the cells' clicks itself, and takes
//    that one when it hydrates (ScenarioPlayer.tsx; it sets vnetChoices.ready[name] then), so
//    that a reader's first choice on a slow connection or a busy machine is not lost.
//  - the page's own module scripts in files (copy buttons and Try it's form, the search box's
//    opener, the share-link notice) start once the document is parsed and its first contentful
//    paint reported: the build writes them as <script type="vnet/after-paint" src="…">
//    (astro.config.mjs, afterPaintScripts()), which no browser fetches or runs, and this starts
//    each as the module script it is. They only enhance what is on screen; fetched with the
//    document (Chrome fetches module scripts at High priority), a small page's first paint could
//    come after them, and Lighthouse then counted them on the way to it.
// Widgets can read document.documentElement.dataset.theme, or listen for the
// "vnet-themechange" event on document (detail: { theme }).
//
// Written as a function so that it reads as code (ES5, no imports: it is never bundled);
// astro.config.mjs minifies its source text for the page.

function themeScript() {
  var KEY = 'vnet-theme';
  var root = document.documentElement;
  var mq = window.matchMedia('(prefers-color-scheme: dark)');
  var stored = null;
  try {
    stored = localStorage.getItem(KEY);
  } catch (e) {}
  if (stored !== 'light' && stored !== 'dark') stored = null;
  function current() {
    return stored || (mq.matches ? 'dark' : 'light');
  }
  function apply() {
    var theme = current();
    var changed = root.getAttribute('data-theme') !== theme;
    root.setAttribute('data-theme', theme);
    if (changed) {
      document.dispatchEvent(new CustomEvent('vnet-themechange', { detail: { theme: theme } }));
    }
  }
  var choices = (window.vnetChoices = { ready: {}, waiting: {} });
  root.classList.add('js');
  apply();
  mq.addEventListener('change', apply);
  window.addEventListener('storage', function (e) {
    if (e.key !== KEY) return;
    stored = e.newValue === 'light' || e.newValue === 'dark' ? e.newValue : null;
    apply();
  });
  // Once the document is parsed (the scripts read it) and its first contentful paint reported
  // (that entry comes with the presented frame, not when the frame is made: a script fetched in
  // between still loaded before the paint). Without paint timing, or with nothing painted (a
  // hidden tab), a second after the parse. A started script is no longer marked: each starts once.
  document.addEventListener('DOMContentLoaded', function () {
    function start() {
      var marked = document.querySelectorAll('script[type="vnet/after-paint"]');
      for (var i = 0; i < marked.length; i++) {
        var script = document.createElement('script');
        script.type = 'module';
        script.src = marked[i].src;
        marked[i].replaceWith(script);
      }
    }
    try {
      new PerformanceObserver(function (list, observer) {
        if (list.getEntriesByName('first-contentful-paint').length === 0) return;
        observer.disconnect();
        start();
      }).observe({ type: 'paint', buffered: true });
    } catch (err) {}
    setTimeout(start, 1000);
  });
  document.addEventListener('click', function (e) {
    var target = e.target;
    if (!target || !target.closest) return;
    var cell = target.closest('[data-player][data-experiment]');
    if (cell && !choices.ready[cell.dataset.player]) choices.waiting[cell.dataset.player] = cell;
    if (!target.closest('[data-theme-toggle]')) return;
    stored = current() === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(KEY, stored);
    } catch (err) {}
    apply();
  });
}

export const THEME_SCRIPT = `(${themeScript.toString()})();`;
