// Astro configuration: static output, MDX chapters, Preact islands.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';

export default defineConfig({
  site: 'http://127.0.0.1:4321',
  output: 'static',
  trailingSlash: 'always',
  integrations: [mdx(), preact()],
  markdown: {
    shikiConfig: {
      // The *-default variants keep every token colour at WCAG AA contrast (>= 4.5:1) on
      // their own background; github-light/github-dark do not (orange #e36209, comments #6a737d).
      // Dark mode is applied by src/styles/global.css from the --shiki-dark* variables.
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
    },
  },
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
});
