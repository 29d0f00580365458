import type { AttemptGuards } from "./backoff";
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
    /** Set by `requireAuth` on authenticated routes. */
    auth: AuthContext;
    /** The backoff guards of sign-in, re-authentication and reset requests. */
    attempts: AttemptGuards;
  }
}
