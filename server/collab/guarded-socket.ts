import { WebSocket } from "ws";
import { reportFailure } from "../failures";

/** The close code of a socket whose listener failed unexpectedly (RFC 6455 §7.4.1). */
export const CLOSE_INTERNAL_ERROR = 1011;

/**
 * The WebSocket class of the collaboration server. The ws library calls our listeners (message,
 * close, error, pong) from its own socket events, where a throw would end the process: here a
 * throw in any of them is reported and closes that socket only, with 1011 (an unexpected
 * condition on the server, RFC 6455 §7.4.1).
 */
export class GuardedWebSocket extends WebSocket {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    try {
      return super.emit(event, ...args);
    } catch (error) {
      reportFailure(`collaboration socket ${String(event)} listener`, error);
      try {
        if (this.readyState === this.OPEN) {
          this.close(CLOSE_INTERNAL_ERROR, "Internal error");
          // A peer that does not finish the closing handshake is cut off.
          setTimeout(() => this.terminate(), 2000).unref();
        } else {
          this.terminate();
        }
      } catch {
        this.terminate();
      }
      return true;
    }
  }
}
