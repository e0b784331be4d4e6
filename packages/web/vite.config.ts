/**
 * Builds the sealing page into dist/: one HTML file, one script, one style
 * sheet, with relative paths so that it works at `/` (sealkit-controller --web),
 * from any folder of any static host, and opened from disk (file://).
 */
import { defineConfig, type Plugin } from 'vite';

/**
 * Delivered as a meta tag so the page is locked down on any host, even one that
 * sets no headers. frame-ancestors cannot be set by a meta tag; hosts add it as
 * a header (see examples/web).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  'img-src data:',
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** Only the built page gets the policy: the dev server injects inline styles that it would block. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'sealkit-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * Browsers load module scripts and `crossorigin` assets only over CORS, which file://
 * pages do not have: the page ships a classic deferred script instead (one IIFE bundle).
 */
function classicScript(): Plugin {
  return {
    name: 'sealkit-classic-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/<script type="module" crossorigin /g, '<script defer ').replace(/ crossorigin(?=[ >])/g, ''),
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [contentSecurityPolicy(), classicScript()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    rollupOptions: { output: { format: 'iife', inlineDynamicImports: true } },
  },
});
