import { createContext, useContext } from "react";

const NonceContext = createContext("");

/** Supplies the CSP script nonce to the document (server side only; it is empty in the browser). */
export const NonceProvider = NonceContext.Provider;

/** The CSP script nonce of this response. */
export function useNonce(): string {
  return useContext(NonceContext);
}
