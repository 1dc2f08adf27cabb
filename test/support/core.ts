import { loadCore, type Core } from '../../src/core/build-core.js';

let core: Promise<Core> | undefined;
/** One core per test file: kuromoji's dictionary takes ~0.7 s to load. */
export const getCore = () => (core ??= loadCore());
