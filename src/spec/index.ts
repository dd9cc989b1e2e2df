// The spec: types only. Nothing here imports runtime code (lint-enforced).
export type * from './attempt.js';
export type * from './capabilities.js';
export type * from './config.js';
export type * from './content-part.js';
export type * from './error-code.js';
export type * from './finish-reason.js';
export type * from './generation-config.js';
export type * from './key-stats.js';
export type * from './logger.js';
export type * from './memory.js';
export type * from './message.js';
export type * from './middleware.js';
export type * from './response.js';
export type * from './stream-event.js';
export type * from './tool.js';
export type * from './usage.js';
