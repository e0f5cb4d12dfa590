/** `node --import tsx --import ./register.mjs out/main/index.js`: maps `electron` to the stand-in (hooks.mjs). */
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
