import type { AttemptGuards } from "./backoff";
import type { SessionGate } from "./session-gate";
import type { SignInHook } from "./sign-in-hook";
import type { SessionRow } from "./tables/sessions";
import type { UserRow } from "./tables/users";
import type { AccessClaims } from "./tokens";

export interface AuthContext {
  user: UserRow;
  session: SessionRow;
  claims: AccessClaims;
}

declare module "../../platform/http/types" {
  interface AppVariables {
    /**
     * Set by `requireAuth` before the handler on authenticated routes; on routes that check the session with
     * their first read, by `session.check()`, which returns it too.
     */
    auth: AuthContext;
    /** The request's session check (`requireAuth`): `check(...queries)` makes it with the handler's first read. */
    session: SessionGate;
    /** The backoff guards of sign-in, re-authentication and reset requests. */
    attempts: AttemptGuards;
    /** Work joined to every successful sign-in, when the composition root gives one (see `SignInHook`). */
    afterSignIn?: SignInHook;
  }
}
