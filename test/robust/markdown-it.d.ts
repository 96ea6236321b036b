// The few members of markdown-it (the CommonMark renderer) the injection test uses; the package ships no types.
declare module 'markdown-it' {
  interface Options { html?: boolean; linkify?: boolean }
  class MarkdownIt {
    constructor(options?: Options);
    render(source: string): string;
  }
  export = MarkdownIt;
}
