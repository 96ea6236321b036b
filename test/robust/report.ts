/**
 * Prints one count line of the robustness suite. Node's test runner shows a test file's stdout, so
 * `npm run test:robust` prints its counts among the results; the prefix makes them easy to grep.
 */
export function report(line: string): void {
  console.log(`[robust] ${line}`);
}
