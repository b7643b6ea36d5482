import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { confirmTotpEnrolment, startTotpEnrolment } from "../server/auth/totp";

/** An authenticator app, for tests: the codes it shows, computed from its key as RFC 6238 says. */
export class TestAuthenticatorApp {
  private lastStep = 0;

  constructor(readonly key: Uint8Array) {}

  /** The app for the key a page or enrolment shows (base32, spaces allowed). */
  static fromSecret(secret: string): TestAuthenticatorApp {
    return new TestAuthenticatorApp(decodeBase32IgnorePadding(secret.replace(/\s/g, "").toUpperCase()));
  }

  /** The code shown `steps` 30-second steps from now. */
  codeAt(steps = 0, at: number = Date.now()): string {
    return generateHOTP(this.key, BigInt(Math.floor(at / 30_000) + steps), 6);
  }

  /**
   * A code the server has not accepted from this app yet. Each step's code is accepted once; the
   * server also takes the previous step's and the next one's, so three codes are to be had in one
   * step (the previous step's only well before the step ends, lest it end on the way), and a
   * fourth waits for the next step.
   */
  async freshCode(): Promise<string> {
    let now = Math.floor(Date.now() / 30_000);
    const safeToLookBack = (now + 1) * 30_000 - Date.now() > 5_000;
    if (this.lastStep + 1 > now + 1) {
      await new Promise((resolve) => setTimeout(resolve, (now + 1) * 30_000 - Date.now() + 50));
      now = Math.floor(Date.now() / 30_000);
    }
    const step = Math.max(safeToLookBack ? now - 1 : now, this.lastStep + 1);
    this.lastStep = step;
    return generateHOTP(this.key, BigInt(step), 6);
  }
}

/** Sets up and confirms an authenticator app for `user` through the domain; the app. */
export async function enrolApp(user: { id: string; email: string }): Promise<TestAuthenticatorApp> {
  const started = await startTotpEnrolment(user);
  const app = TestAuthenticatorApp.fromSecret(started.secret);
  const result = await confirmTotpEnrolment(user.id, await app.freshCode());
  if (!result.ok) throw new Error(`The app was not confirmed: ${JSON.stringify(result)}`);
  return app;
}
