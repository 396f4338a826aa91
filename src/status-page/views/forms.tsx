/**
 * The pages around the data: the login form, the confirmation before an action, and "not found".
 */
import type { Child } from 'hono/jsx';

export function LoginPage({ next, error }: { next: string; error?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Log in · bridge status</title>
        <link rel="stylesheet" href="/assets/status.css" />
      </head>
      <body class="login">
        <main>
          <h1>⚡ Bridge status</h1>
          {error ? <p class="flash error" role="alert">{error}</p> : null}
          <form method="post" action="/login">
            <input type="hidden" name="next" value={next} />
            <label>User <input name="user" autocomplete="username" required autofocus /></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
            <button type="submit">Log in</button>
          </form>
          <p class="muted">Users come from <code>status_page.users</code> in the config; without any, the password of user <code>tech</code> was printed once in the log at first start.</p>
        </main>
      </body>
    </html>
  );
}

export function ConfirmPage({ question, detail, action, csrf, cancel, danger }: { question: string; detail?: Child; action: string; csrf: string; cancel: string; danger?: boolean }) {
  return (
    <section class="confirm" id="confirm">
      <h1>{question}</h1>
      {detail ? <div>{detail}</div> : null}
      <form method="post" action={action}>
        <input type="hidden" name="_csrf" value={csrf} />
        <button type="submit" class={danger ? 'danger' : ''} id="confirm-button">Confirm</button>{' '}
        <a class="button" href={cancel}>Cancel</a>
      </form>
    </section>
  );
}

export function NotFound({ what }: { what: string }) {
  return (
    <section class="notfound">
      <h1>Not found</h1>
      <p>{what}</p>
      <p><a href="/">Back to the overview</a> · <a href="/chargers">All chargers</a></p>
    </section>
  );
}
