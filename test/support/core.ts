import { loadCore, type Core } from '../../src/bootstrap.js';

let core: Promise<Core> | undefined;
/** One core per test file: kuromoji's dictionary takes ~0.7 s to load. */
export const getCore = () => (core ??= loadCore());
