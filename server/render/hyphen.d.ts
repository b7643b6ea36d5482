// The `hyphen` package ships no types: one module per language, each a hyphenator of its patterns.
declare module "hyphen/*/index.js" {
  const hyphenator: {
    hyphenateSync(text: string, options?: { html?: boolean; minWordLength?: number; hyphenChar?: string }): string;
  };
  export default hyphenator;
}
