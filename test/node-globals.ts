/**
 * Lets DOM-free `*.shared.test.ts` files run under Node's test runner as they do under mocha in the
 * browser: `node --import tsx --import ./test/node-globals.ts --test <files>`.
 * The mocha-style globals are typed by @types/mocha (tsconfig `types`), so no `declare global` here.
 */
import { register } from 'node:module';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

Object.assign(globalThis, { describe, it, before, after, beforeEach, afterEach });

// An unhandled promise rejection anywhere fails the run: node:test fails the test it happens in;
// this hook also says so plainly and fails the file when it happens between tests or after the last.
process.on('unhandledRejection', (reason) => {
  process.exitCode = 1;
  process.stderr.write(`unhandled promise rejection (fails the test run): ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}\n`);
});

// @esm-bundle/chai's package.json names a `main` (chai.js) that the package does not ship; browsers
// (and web-test-runner) follow its `module` field, Node follows `main` and fails. Point Node at the
// ESM file the browser gets, so both run the same chai.
const hooks = `
export async function resolve(specifier, context, next) {
  return next(specifier === '@esm-bundle/chai' ? '@esm-bundle/chai/esm/chai.js' : specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
