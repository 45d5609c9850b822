/** What a stylesheet import is under jest: Vite bundles the styles, the tests need none. */
export {};
