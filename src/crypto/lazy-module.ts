// Loads a module once, on first use. The third-party crypto libraries (@noble/*, sm-crypto-v2) are loaded so:
// evaluating them is a sixth of Trent's start-up, and only some key specs ever need them.
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}
