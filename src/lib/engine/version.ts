/** Engine version: part of every result's identity. Bump when results for the same scenario and seed change. */
export const ENGINE_VERSION = '0.6.0';
