// The error a call throws, for tests that assert on its class and fields;
// fails the test when the call does not throw.
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
