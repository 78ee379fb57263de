/**
 * The browser counterpart of node-globals.ts: web-test-runner loads it on every test page before
 * the test framework (`testRunnerHtml` in web-test-runner.config.mjs), so it holds for every file.
 * An unhandled promise rejection anywhere fails the run: it is raised again as an uncaught error,
 * which mocha counts as a failure of the test that is running (or of the file, between tests).
 */
window.addEventListener('unhandledrejection', (event) => {
  const reason: unknown = event.reason;
  const error = new Error(`unhandled promise rejection (fails the test run): ${reason instanceof Error ? reason.message : String(reason)}`);
  if (reason instanceof Error && reason.stack) error.stack = `${error.message}\n${reason.stack}`;
  reportError(error);
});
