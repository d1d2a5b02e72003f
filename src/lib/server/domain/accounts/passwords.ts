import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (memory-hard), tuned to ~50 ms on a small server. */
export const hashPassword = (pw: string) => hash(pw, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
export const verifyPassword = async (stored: string, pw: string) => {
  try {
    return await verify(stored, pw);
  } catch {
    return false;
  }
};
