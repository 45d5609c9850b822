/** The one function of js-yaml these tests use (the package ships no types). */
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
