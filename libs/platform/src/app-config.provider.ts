// The validated configuration, injectable anywhere under one token.
import type { AppConfig } from '#config';

export const APP_CONFIG = Symbol('APP_CONFIG');
export type { AppConfig };
