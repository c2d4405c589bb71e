// Signing in. The API sets an HttpOnly session cookie; the SPA only learns who signed in.
import { useQueryClient } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { describeError, errorCode } from "../../app/api-errors.ts";
import { trpc } from "../../app/trpc.ts";
import "./auth.css";

export function LoginScreen({ sessionEnded }: { sessionEnded: boolean }) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const errorId = useId();
  const emailInput = useRef<HTMLInputElement>(null);
  // The first thing anyone does here is type their email.
  useEffect(() => emailInput.current?.focus(), []);
  const login = trpc.auth.login.useMutation({
    onSuccess: ({ staff, expiresAt }) => {
      // Whatever was cached belonged to the previous session (maybe another person): start clean.
      const sessionKey = JSON.stringify(getQueryKey(trpc.auth.me)[0]);
      queryClient.removeQueries({ predicate: (query) => JSON.stringify(query.queryKey[0]) !== sessionKey });
      utils.auth.me.setData(undefined, { staff, expiresAt });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password });
  };
  const failure = login.error
    ? errorCode(login.error) === "UNAUTHORIZED"
      ? "That email and password do not match an account."
      : describeError(login.error)
    : null;

  return (
    <main className="login-screen">
      <form className="login-card" onSubmit={submit} aria-describedby={failure ? errorId : undefined} noValidate>
        <div className="brand brand--large" aria-hidden="true">
          <span className="brand-mark" />
          Chairside
        </div>
        <h1>Sign in</h1>
        {sessionEnded && !failure && (
          <p className="notice" role="status">
            Your session has ended. Sign in again to continue where you were.
          </p>
        )}
        <label className="field">
          <span className="field-label">Email</span>
          <input
            ref={emailInput}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {failure && (
          <p className="form-error" role="alert" id={errorId}>
            {failure}
          </p>
        )}
        <button className="button button--primary button--block" type="submit" disabled={login.isPending}>
          {login.isPending ? "Signing in…" : "Sign in"}
        </button>
        {import.meta.env.DEV && (
          <p className="muted small">
            Demo: owner@chairside.test, reception@chairside.test or dentist@chairside.test, password chairside-demo.
          </p>
        )}
      </form>
    </main>
  );
}
